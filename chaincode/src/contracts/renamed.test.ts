// Accounts, projects and typologies in their own contracts; the old names (transfer:openAccount, rule:typologies,
// ...) answer alike for one release.
import { DEFAULT_TYPOLOGY_PARAMETERS } from '@regchain/common';
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

it('publishes and reads typology parameters by their own contract, and by the old names alike', async () => {
  const world = new World();
  const first = await world.call('typology:publish', DEFAULT_TYPOLOGY_PARAMETERS, as.regulator);
  expect(await world.call('rule:typologies', {}, as.auditor)).toEqual(first);
  const second = await world.call('rule:publishTypologies', DEFAULT_TYPOLOGY_PARAMETERS, as.regulator);
  expect(second).toMatchObject({ version: 2 });
  expect(await world.call('typology:get', {}, as.regulator)).toEqual(second);
});
