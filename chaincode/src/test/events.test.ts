// Fabric semantics the contracts rely on: one event per transaction, no read-your-writes, determinism.
import { as, BANK, contracts, ENT1, submitFiling, World } from './fixtures';

describe('events and determinism', () => {
  it('sends one event per transaction carrying everything it did', async () => {
    const world = new World();
    await world.call('rule:publish', { ruleId: 'a', name: 'a', description: '', logic: true, action: 'ALERT', severity: 'low' }, as.regulator);
    await world.call('rule:publish', { ruleId: 'b', name: 'b', description: '', logic: true, action: 'ALERT', severity: 'high' }, as.regulator);
    await world.call('account:open', { accountId: 'x', ownerEntityId: BANK, name: 'x' }, as.bank);
    await world.call('account:open', { accountId: 'y', ownerEntityId: ENT1, name: 'y' }, as.bank);
    const r = await world.invoke('transfer:record', { fromAccount: 'x', toAccount: 'y', amount: 1, currency: 'CNY', purpose: 'goods', reference: '' }, as.bank);
    expect(r.event?.name).toBe('regchain');
    expect(r.event?.payload.txId).toBe(r.txId);
    expect(r.event?.payload.events.map((e) => e.type)).toEqual(['TransferRecorded', 'RuleFired', 'RuleFired', 'AlertRaised', 'AlertRaised']);
  });

  it('sends no event from a query', async () => {
    const world = new World();
    expect((await world.invoke('rule:list', {}, as.bank)).event).toBeUndefined();
  });

  it('produces the same bytes for the same transaction on two peers', async () => {
    const a = new World();
    const b = new World();
    const ra = await submitFiling(a);
    const rb = await submitFiling(b);
    expect(ra).toBe(rb);
    expect([...a.peer.state.entries()].map(([k, v]) => [k, Buffer.from(v).toString()])).toEqual(
      [...b.peer.state.entries()].map(([k, v]) => [k, Buffer.from(v).toString()]),
    );
  });

  it('writes values with sorted keys', async () => {
    const world = new World();
    await world.call('account:open', { name: 'x', ownerEntityId: BANK, accountId: 'x' }, as.bank);
    const stored = Buffer.from(world.peer.state.get('account~x') as Uint8Array).toString();
    const keys = Object.keys(JSON.parse(stored) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('sends probe events in the same shape as every other event, and only the regulator may write a probe', async () => {
    const world = new World();
    const r = await world.peer.invoke(contracts.system, 'recordProbe', ['p-1'], as.regulator, {});
    expect(r.event?.name).toBe('regchain');
    expect(r.event?.payload.events).toEqual([{ type: 'ProbeRecorded', probeId: 'p-1', txId: r.txId }]);
    for (const who of [as.enterprise, as.bank, as.auditor]) {
      await expect(world.peer.invoke(contracts.system, 'recordProbe', [`p-${who.name}`], who, {})).rejects.toThrow(/ACCESS_DENIED/);
    }
  });
});
