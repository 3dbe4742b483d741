// Filings through the contract on an in-memory peer: lifecycle, numbers, private data, history, access.
import { approveFiling, as, ENT1, filingInput, person, submitFiling, World } from '../test/fixtures';
import { PERSONAL_DATA_COLLECTION } from '../state/filings';
import { personHash } from './filing';

describe('filing contract', () => {
  let world: World;
  beforeEach(() => {
    world = new World();
  });

  it('takes a filing from submission to approval with a unique, verifiable number', async () => {
    const { result, event } = await world.invoke('filing:submit', filingInput(), as.enterprise, { transient: { personInCharge: person } });
    const filing = JSON.parse(result) as { filingId: string; status: string; personInChargeHash: string };
    expect(filing.status).toBe('submitted');
    expect(event?.payload.events).toEqual([expect.objectContaining({ type: 'FilingSubmitted', filingId: filing.filingId })]);

    const number = await approveFiling(world, filing.filingId);
    expect(number).toMatch(/^网信备500000\d{8}\d{6}号$/);
    const lookup = await world.call('filing:lookup', { filingNumber: number }, as.bank);
    expect(lookup).toEqual({
      filingNumber: number,
      applicantName: '重庆示例科技有限公司',
      serviceName: '链上存证服务',
      category: 'application',
      applicationField: 'judicial',
      status: 'approved',
      approvedAt: expect.any(String),
      current: true,
    });
  });

  it('keeps the person in charge in private data and only its hash on the channel', async () => {
    const filingId = await submitFiling(world);
    const onChannel = [...world.peer.state.values()].map((v) => Buffer.from(v).toString()).join('\n');
    expect(onChannel).not.toContain(person.idNumber);
    expect(onChannel).not.toContain(person.name);
    const filing = await world.call<{ personInChargeHash: string }>('filing:get', { filingId }, as.regulator);
    expect(filing.personInChargeHash).toBe(personHash(person));
    expect(world.peer.privateData.get(PERSONAL_DATA_COLLECTION)?.has(filingId)).toBe(true);

    const read = await world.call('filing:getPersonInCharge', { filingId }, as.regulator);
    expect(read).toEqual({ personInCharge: person, hashMatches: true });
    await world.refuses('ACCESS_DENIED', 'filing:getPersonInCharge', { filingId }, as.auditor);
    await world.refuses('FILING_NOT_FOUND', 'filing:getPersonInCharge', { filingId }, as.otherEnterprise);
  });

  it('requires the person in charge in the transient map', async () => {
    await world.refuses('PERSONAL_DATA_MISSING', 'filing:submit', filingInput(), as.enterprise);
    await world.refuses('VALIDATION_FAILED', 'filing:submit', filingInput(), as.enterprise, {
      transient: { personInCharge: { ...person, idNumber: '123' } },
    });
  });

  it('returns for correction, takes an amendment and approves the revision', async () => {
    const filingId = await submitFiling(world);
    await world.call('filing:startReview', { filingId, note: '' }, as.regulator);
    const returned = await world.call<{ status: string; reviewNote: string }>('filing:returnForCorrection', { filingId, note: '补充服务器地址' }, as.regulator);
    expect(returned).toMatchObject({ status: 'returned', reviewNote: '补充服务器地址' });
    const input = filingInput();
    const amended = await world.call<{ status: string; revision: number; service: { serverAddresses: string[] } }>(
      'filing:amend',
      { filingId, service: { ...(input.service as object), serverAddresses: ['10.0.0.2'] }, attachments: input.attachments },
      as.enterprise,
    );
    expect(amended).toMatchObject({ status: 'amended', revision: 2, service: { serverAddresses: ['10.0.0.2'] } });
    expect(await approveFiling(world, filingId)).toMatch(/号$/);
  });

  it('refuses illegal moves and names them', async () => {
    const filingId = await submitFiling(world);
    const err = await world.refuses('FILING_TRANSITION_INVALID', 'filing:approve', { filingId, note: '' }, as.regulator);
    expect(err.message).toContain('submitted cannot be approved');
    await world.call('filing:startReview', { filingId, note: '' }, as.regulator);
    await world.call('filing:reject', { filingId, note: '不符合要求' }, as.regulator);
    await world.refuses('FILING_TRANSITION_INVALID', 'filing:amend', { filingId, service: filingInput().service, attachments: [] }, as.enterprise);
  });

  it('keeps an issued number after amendment but reports it not current until re-approved', async () => {
    const filingId = await submitFiling(world);
    const number = await approveFiling(world, filingId);
    await world.call('filing:amend', { filingId, service: filingInput().service, attachments: [] }, as.enterprise);
    expect(await world.call('filing:lookup', { filingNumber: number }, as.auditor)).toMatchObject({ status: 'amended', current: false });
    expect(await approveFiling(world, filingId)).toBe(number);
    await world.call('filing:deregister', { filingId, note: '停止服务' }, as.enterprise);
    expect(await world.call('filing:lookup', { filingNumber: number }, as.bank)).toMatchObject({ status: 'deregistered', current: false });
  });

  it('gives different filings different numbers', async () => {
    const numbers = new Set<string>();
    for (let i = 0; i < 20; i += 1) numbers.add(await approveFiling(world, await submitFiling(world, as.enterprise, `服务${i}`)));
    expect(numbers.size).toBe(20);
  });

  it('refuses a second filing for the same service while the first is open', async () => {
    const first = await submitFiling(world);
    const err = await world.refuses('FILING_EXISTS', 'filing:submit', filingInput(), as.enterprise, { transient: { personInCharge: person } });
    expect(err.message).toContain(first);
  });

  it('records who did what when in the history', async () => {
    const filingId = await submitFiling(world);
    await approveFiling(world, filingId);
    const history = await world.call<{ status: string; by: { role: string }; txId: string; time: string }[]>('filing:history', { filingId }, as.auditor);
    expect(history.map((h) => [h.status, h.by.role])).toEqual([
      ['submitted', 'enterprise'],
      ['under_review', 'regulator'],
      ['approved', 'regulator'],
    ]);
    expect(new Set(history.map((h) => h.txId)).size).toBe(3);
  });

  it('lists with filters and pages, and shows an enterprise only its own filings', async () => {
    for (let i = 0; i < 5; i += 1) await submitFiling(world, as.enterprise, `服务${i}`);
    await submitFiling(world, as.otherEnterprise, '他人服务');
    const first = await world.call<{ items: { filingId: string }[]; bookmark: string }>('filing:list', { pageSize: 4 }, as.regulator);
    expect(first.items).toHaveLength(4);
    const second = await world.call<{ items: unknown[]; bookmark: string }>('filing:list', { pageSize: 4, bookmark: first.bookmark }, as.regulator);
    expect(second.items).toHaveLength(2);
    expect(second.bookmark).toBe('');
    const own = await world.call<{ items: { applicant: { creditCode: string } }[] }>('filing:list', {}, as.enterprise);
    expect(own.items).toHaveLength(5);
    expect(own.items.every((f) => f.applicant.creditCode === ENT1)).toBe(true);
    const submitted = await world.call<{ items: unknown[] }>('filing:list', { status: 'submitted', category: 'application' }, as.auditor);
    expect(submitted.items).toHaveLength(6);
    // Naming another entity lists nothing, as for an entity without filings.
    expect(await world.call('filing:list', { entityId: ENT1 }, as.otherEnterprise)).toEqual({ items: [], bookmark: '' });
  });

  it("keeps enterprises out of each other's filings", async () => {
    const filingId = await submitFiling(world);
    await world.refuses('FILING_NOT_FOUND', 'filing:get', { filingId }, as.otherEnterprise);
    await world.refuses('FILING_NOT_FOUND', 'filing:amend', { filingId, service: filingInput().service, attachments: [] }, as.otherEnterprise);
    await world.refuses('FILING_NOT_FOUND', 'filing:deregister', { filingId, note: 'x' }, as.otherEnterprise);
    await world.refuses('ACCESS_DENIED', 'filing:submit', filingInput(ENT1), as.otherEnterprise, { transient: { personInCharge: person } });
  });

  it('protects filing records with a key-level policy requiring the regulator', async () => {
    const filingId = await submitFiling(world);
    expect(world.peer.validationParameters.has(`filing~${filingId}`)).toBe(true);
  });
});
