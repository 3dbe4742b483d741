// Accounts and projects in their own contracts; the transfer contract's old names answer alike for one release.
import { as, BANK, ENT1, World } from '../test/fixtures';

const project = { projectId: 'p-1', name: '项目', type: 'donation', ownerEntityId: BANK, fundHolderBankId: BANK, budgets: [{ purpose: 'goods', amount: 100 }] };

it('opens and reads an account and a project by their own contracts, and by the old names alike', async () => {
  const world = new World();
  const created = await world.call('project:create', project, as.regulator);
  const opened = await world.call('account:open', { accountId: 'a-1', ownerEntityId: ENT1, holderBankId: BANK, name: '基本户' }, as.enterprise);
  await world.call('transfer:openAccount', { accountId: 'a-2', ownerEntityId: ENT1, holderBankId: BANK, name: '一般户' }, as.enterprise);
  expect(await world.call('account:get', { accountId: 'a-1' }, as.bank)).toEqual(opened);
  expect(await world.call('transfer:getAccount', { accountId: 'a-1' }, as.bank)).toEqual(opened);
  expect(await world.call('transfer:getAccount', { accountId: 'a-2' }, as.bank)).toMatchObject({ name: '一般户' });
  expect(await world.call('project:get', { projectId: 'p-1' }, as.bank)).toEqual(await world.call('transfer:getProject', { projectId: 'p-1' }, as.bank));
  expect(await world.call('project:get', { projectId: 'p-1' }, as.bank)).toMatchObject({ ...created, spending: expect.any(Array) });
  await expect(world.call('transfer:createProject', project, as.regulator)).rejects.toMatchObject({ code: 'PROJECT_EXISTS' });
});
