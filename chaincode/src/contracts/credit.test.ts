// Credit files through the contracts: final decisions enter files from filings, sanctions, confirmed patterns,
// late reports and commendations; the model is published in versions; objections are decided; every role sees
// what it may, and an alert under review reaches no answer at all.
import { DEFAULT_CREDIT_MODEL } from '@regchain/common';
import { as, BANK, ENT1, ENT2, submitFiling, World } from '../test/fixtures';

const DAY = 86_400;

interface Entry {
  entryId: string;
  late?: { count: number; transferIds: string[] };
  kind: string;
  txId: string;
  source?: string;
  objection?: { status: string; note: string; decision?: { note: string; correctedKind?: string } };
}
interface FileView {
  grade: {
    score: number;
    grade: string;
    modelVersion: number;
    contributions: { entryId: string; kind: string; points: number; counts: boolean; reason: string }[];
  };
  entries: Entry[];
}
interface Standing {
  grade: string;
  sanctions: { decisionNumber: string; publishedUntil: string }[];
}

const sanction = (decisionNumber: string, extra: Record<string, unknown> = {}) => ({
  entityId: ENT2,
  legalBasis: '《区块链信息服务管理规定》第二十条',
  decisionNumber,
  amount: 20_000_00,
  publicationDays: 90,
  summary: '未按规定备案即提供服务',
  ...extra,
});

async function accounts(world: World): Promise<void> {
  await world.call('account:open', { accountId: 'bank-a', ownerEntityId: BANK, name: 'a' }, as.bank);
  await world.call('account:open', { accountId: 'ent1-a', ownerEntityId: ENT1, name: 'a' }, as.bank);
  await world.call('account:open', { accountId: 'ent2-a', ownerEntityId: ENT2, name: 'a' }, as.bank);
}

const fileOf = (world: World, entityId: string, who = as.regulator, at?: string) =>
  world.call<FileView>('credit:file', { entityId, ...(at ? { at } : {}) }, who);

describe('the credit file', () => {
  it('records each final filing decision, naming the transaction, and nothing for starting a review', async () => {
    const world = new World();
    const filingId = await submitFiling(world);
    await world.call('filing:startReview', { filingId, note: '' }, as.regulator);
    expect((await fileOf(world, ENT1)).entries).toEqual([]);
    const approval = await world.invoke('filing:approve', { filingId, note: '材料齐全' }, as.regulator);
    const rejected = await submitFiling(world, as.enterprise, '第二个服务');
    await world.call('filing:startReview', { filingId: rejected, note: '' }, as.regulator);
    await world.call('filing:reject', { filingId: rejected, note: '不符合要求' }, as.regulator);
    const file = await fileOf(world, ENT1, as.enterprise);
    expect(file.entries.map((e) => [e.kind, e.source])).toEqual([
      ['filing_approved', filingId],
      ['filing_rejected', rejected],
    ]);
    expect(file.entries[0]?.txId).toBe(approval.txId);
    expect(file.grade).toMatchObject({ score: 95, grade: 'A', modelVersion: 1 });
    expect(file.grade.contributions.map((c) => c.points)).toEqual([0, -5]);
  });

  it('shows a sanction to partners and the public while it is published, and repairs it after, by business time', async () => {
    const world = new World();
    await world.call('credit:recordSanction', sanction('渝网信罚〔2026〕1号'), as.regulator);
    const own = await fileOf(world, ENT2, as.otherEnterprise);
    expect(own.grade).toMatchObject({ score: 89, grade: 'B' });
    for (const who of [as.bank, as.enterprise, as.auditor]) {
      const seen = await world.call<Standing & Record<string, unknown>>('credit:lookup', { entityId: ENT2 }, who);
      expect(Object.keys(seen).sort()).toEqual(['at', 'entityId', 'grade', 'modelVersion', 'sanctions']);
      expect(seen.grade).toBe('B');
      expect(seen.sanctions.map((s) => s.decisionNumber)).toEqual(['渝网信罚〔2026〕1号']);
    }
    world.peer.clock += 90 * DAY;
    const later = await world.call<Standing>('credit:lookup', { entityId: ENT2 }, as.bank);
    expect(later).toMatchObject({ grade: 'A', sanctions: [] });
    const repaired = await fileOf(world, ENT2);
    expect(repaired.grade.contributions[0]).toMatchObject({ counts: false, reason: 'publication period over: repaired' });
    // The file still holds it, and the grade at the time it was published is what it was then.
    const then = await fileOf(world, ENT2, as.regulator, new Date((world.peer.clock - 80 * DAY) * 1000).toISOString());
    expect(then.grade.score).toBe(89);
  });

  it('refuses a second entry for the same decision number, and a decision dated in the future, writing nothing', async () => {
    const world = new World();
    await world.call('credit:recordSanction', sanction('罚-1'), as.regulator);
    await world.refuses('CREDIT_ENTRY_EXISTS', 'credit:recordSanction', sanction('罚-1', { entityId: ENT1 }), as.regulator);
    await world.refuses('VALIDATION_FAILED', 'credit:recordSanction', sanction('罚-2', { decidedAt: '2099-01-01T00:00:00Z' }), as.regulator);
    await world.refuses('VALIDATION_FAILED', 'credit:recordSanction', sanction('罚-3', { entityId: '91500000MA5U0ENT1X' }), as.regulator);
    await world.refuses('VALIDATION_FAILED', 'credit:recordSanction', { ...sanction('罚-4'), amount: -1 }, as.regulator);
  });

  it('denies a member another entity’s file: its standing is the lookup', async () => {
    const world = new World();
    await world.call('credit:recordSanction', sanction('罚-1'), as.regulator);
    for (const who of [as.enterprise, as.bank]) await world.refuses('ACCESS_DENIED', 'credit:file', { entityId: ENT2 }, who);
  });
});

describe('alerts and credit', () => {
  async function patternAlert(world: World): Promise<string> {
    await accounts(world);
    const t = await world.call<{ transferId: string }>(
      'transfer:record',
      { fromAccount: 'ent1-a', toAccount: 'ent2-a', amount: 900_000, currency: 'CNY', purpose: 'goods', reference: 'r1' },
      as.bank,
    );
    const a = await world.call<{ alertId: string }>(
      'alert:raisePattern',
      { key: 'k1', typology: 'fan-in', parametersVersion: 0, score: 0.8, accounts: ['ent1-a', 'ent2-a'], transferIds: [t.transferId] },
      as.regulator,
    );
    return a.alertId;
  }

  /** Every credit answer any role can get about either entity, as text. */
  async function everything(world: World): Promise<string> {
    const answers: unknown[] = [];
    for (const entityId of [ENT1, ENT2]) {
      answers.push(await fileOf(world, entityId), await fileOf(world, entityId, as.auditor));
      for (const who of [as.regulator, as.auditor, as.bank, as.enterprise, as.otherEnterprise]) {
        answers.push(await world.call('credit:lookup', { entityId }, who));
      }
    }
    answers.push(await fileOf(world, ENT1, as.enterprise), await fileOf(world, ENT2, as.otherEnterprise));
    answers.push(await world.call('credit:statistics', { points: 2 }, as.regulator), await world.call('credit:objections', {}, as.auditor));
    return JSON.stringify(answers);
  }

  it('keeps an open or acknowledged pattern alert out of every answer, and files it once resolved as real', async () => {
    const world = new World();
    const alertId = await patternAlert(world);
    const before = await everything(world);
    expect(before).not.toContain(alertId);
    expect(before).not.toContain('pattern');
    await world.call('alert:acknowledge', { alertId, note: '调查中' }, as.regulator);
    expect(await everything(world)).not.toContain(alertId);
    await world.call('alert:resolve', { alertId, note: '确认为资金归集' }, as.regulator);
    for (const entityId of [ENT1, ENT2]) {
      const file = await fileOf(world, entityId);
      expect(file.entries.map((e) => [e.kind, e.source])).toEqual([['pattern_confirmed', alertId]]);
      expect(file.grade).toMatchObject({ score: 89, grade: 'B' });
    }
  });

  it('files nothing for a pattern marked a false positive', async () => {
    const world = new World();
    const alertId = await patternAlert(world);
    await world.call('alert:markFalsePositive', { alertId, note: '正常业务' }, as.regulator);
    expect(await everything(world)).not.toContain(alertId);
  });
});

describe('the scoring model', () => {
  const stricter = { ...DEFAULT_CREDIT_MODEL, rules: { ...DEFAULT_CREDIT_MODEL.rules, sanction: { points: -35, countsDays: 365 } }, severePoints: -40 };

  it('grades everyone by a new version from its publication on; past grades keep the version that made them', async () => {
    const world = new World();
    await world.call('credit:recordSanction', sanction('罚-1'), as.regulator);
    const before = new Date(world.peer.clock * 1000).toISOString();
    world.peer.clock += 60;
    const published = await world.call<{ version: number }>('credit:publishModel', stricter, as.regulator);
    expect(published.version).toBe(2);
    expect((await fileOf(world, ENT2)).grade).toMatchObject({ score: 65, grade: 'C', modelVersion: 2 });
    expect((await fileOf(world, ENT2, as.regulator, before)).grade).toMatchObject({ score: 89, grade: 'B', modelVersion: 1 });
    expect(await world.call('credit:model', {}, as.bank)).toMatchObject({ version: 2 });
    expect(await world.call('credit:model', { version: 1 }, as.enterprise)).toMatchObject({ version: 1, model: DEFAULT_CREDIT_MODEL });
    await world.refuses('CREDIT_MODEL_NOT_FOUND', 'credit:model', { version: 3 }, as.bank);
  });

  it('refuses a model with bands out of order or a field missing, writing nothing', async () => {
    const world = new World();
    await world.refuses(
      'CREDIT_MODEL_INVALID',
      'credit:publishModel',
      { ...DEFAULT_CREDIT_MODEL, bands: [...DEFAULT_CREDIT_MODEL.bands].reverse() },
      as.regulator,
    );
    const { lateReportDays: _missing, ...incomplete } = DEFAULT_CREDIT_MODEL;
    await world.refuses('VALIDATION_FAILED', 'credit:publishModel', incomplete, as.regulator);
  });

  it('shows the grade distribution over time, each moment by the model in force then', async () => {
    const world = new World();
    const start = new Date((world.peer.clock - 1) * 1000).toISOString();
    await world.call('credit:recordSanction', sanction('罚-1'), as.regulator);
    await world.call('credit:recordCommendation', { entityId: ENT1, summary: '守信示范企业' }, as.regulator);
    world.peer.clock += 100 * DAY;
    const stats = await world.call<{ entities: number; series: { grades: Record<string, number> }[] }>(
      'credit:statistics',
      { from: start, to: new Date((world.peer.clock - 50 * DAY) * 1000).toISOString(), points: 2 },
      as.auditor,
    );
    expect(stats.entities).toBe(2);
    expect(stats.series.map((s) => s.grades)).toEqual([
      { A: 0, B: 0, M: 2, C: 0, D: 0 },
      { A: 1, B: 1, M: 0, C: 0, D: 0 },
    ]);
  });
});

describe('objections', () => {
  it('lets the entity object; the entry counts until the regulator corrects it, and the file keeps both', async () => {
    const world = new World();
    const entry = await world.call<Entry>('credit:recordSanction', sanction('罚-1'), as.regulator);
    await world.call('credit:object', { entryId: entry.entryId, note: '处罚已撤销' }, as.otherEnterprise);
    expect((await fileOf(world, ENT2)).grade.contributions[0]).toMatchObject({ points: -11, reason: 'counts while the objection is open' });
    expect(await world.call<{ entry: Entry }[]>('credit:objections', {}, as.regulator)).toEqual([
      { entityId: ENT2, entry: expect.objectContaining({ entryId: entry.entryId }) },
    ]);
    await world.refuses('OBJECTION_TRANSITION_INVALID', 'credit:object', { entryId: entry.entryId, note: '再次' }, as.otherEnterprise);
    await world.call(
      'credit:decideObjection',
      { entityId: ENT2, entryId: entry.entryId, decision: 'correct', correctedKind: 'void', note: '行政复议撤销' },
      as.regulator,
    );
    const after = await fileOf(world, ENT2, as.otherEnterprise);
    expect(after.grade).toMatchObject({ score: 100, grade: 'M' });
    expect(after.entries[0]).toMatchObject({
      kind: 'sanction',
      objection: { status: 'corrected', note: '处罚已撤销', decision: { note: '行政复议撤销', correctedKind: 'void' } },
    });
    expect((await world.call<Standing>('credit:lookup', { entityId: ENT2 }, as.bank)).sanctions).toEqual([]);
    expect(await world.call('credit:objections', {}, as.regulator)).toEqual([]);
    await world.refuses(
      'OBJECTION_TRANSITION_INVALID',
      'credit:decideObjection',
      { entityId: ENT2, entryId: entry.entryId, decision: 'uphold', note: '维持' },
      as.regulator,
    );
  });

  it('answers another entity’s entry as a missing one, and refuses a correction that changes nothing', async () => {
    const world = new World();
    const entry = await world.call<Entry>('credit:recordSanction', sanction('罚-1'), as.regulator);
    await world.refuses('CREDIT_ENTRY_NOT_FOUND', 'credit:object', { entryId: entry.entryId, note: '不是我的' }, as.enterprise);
    await world.call('credit:object', { entryId: entry.entryId, note: '金额有误' }, as.otherEnterprise);
    await world.refuses(
      'VALIDATION_FAILED',
      'credit:decideObjection',
      { entityId: ENT2, entryId: entry.entryId, decision: 'correct', correctedKind: 'sanction', note: 'x' },
      as.regulator,
    );
    await world.call('credit:decideObjection', { entityId: ENT2, entryId: entry.entryId, decision: 'uphold', note: '维持原处罚' }, as.regulator);
    expect((await fileOf(world, ENT2)).grade.score).toBe(89);
  });
});

describe('late reporting', () => {
  const record = (world: World, reference: string, daysBack: number) =>
    world.call<{ transferId: string }>(
      'transfer:record',
      {
        fromAccount: 'bank-a',
        toAccount: 'ent1-a',
        amount: 100,
        currency: 'CNY',
        purpose: 'goods',
        reference,
        executedAt: new Date((world.peer.clock - daysBack * DAY) * 1000).toISOString(),
      },
      as.bank,
    );

  it('files transfers reported later than the model allows in one entry per reporter and day, however they are batched; a timely one is refused', async () => {
    const world = new World();
    await accounts(world);
    const late = [await record(world, 'l1', 10), await record(world, 'l2', 12), await record(world, 'l3', 20)].map((t) => t.transferId);
    const timely = await record(world, 'ok', 3);
    const first = await world.call<{ filed: string[]; already: string[]; entries: string[] }>(
      'credit:recordLateReports',
      { transferIds: [late[0]] },
      as.regulator,
    );
    const second = await world.call<{ filed: string[]; already: string[]; entries: string[] }>(
      'credit:recordLateReports',
      { transferIds: [late[1], late[0], late[2]] },
      as.regulator,
    );
    expect([second.filed, second.already, second.entries]).toEqual([[late[1], late[2]], [late[0]], first.entries]);
    const file = await fileOf(world, BANK, as.bank);
    expect(file.entries).toEqual([
      expect.objectContaining({ kind: 'late_report', late: expect.objectContaining({ count: 3, transferIds: [...late].sort() }) }),
    ]);
    expect(file.grade.score).toBe(99);
    // The same three filed at once on another ledger: the same file.
    const other = new World();
    await accounts(other);
    const again = [await record(other, 'l1', 10), await record(other, 'l2', 12), await record(other, 'l3', 20)].map((t) => t.transferId);
    await other.call('credit:recordLateReports', { transferIds: [...again].reverse() }, as.regulator);
    const otherFile = await fileOf(other, BANK, as.bank);
    expect([otherFile.grade.score, otherFile.entries.length, otherFile.entries[0]?.late?.count]).toEqual([99, 1, 3]);

    await world.refuses('CREDIT_NOT_LATE', 'credit:recordLateReports', { transferIds: [late[0], timely.transferId] }, as.regulator);
    await world.refuses('TRANSFER_NOT_FOUND', 'credit:recordLateReports', { transferIds: ['no-such'] }, as.regulator);
    await world.refuses('VALIDATION_FAILED', 'credit:recordLateReports', { transferIds: [] }, as.regulator);
  });

  it('deducts one point per day of late reporting, up to the cap', async () => {
    const world = new World();
    await accounts(world);
    const ids: string[] = [];
    for (let d = 0; d < 12; d += 1) {
      ids.push((await record(world, `d${d}`, 9)).transferId);
      world.peer.clock += DAY;
    }
    await world.call('credit:recordLateReports', { transferIds: ids }, as.regulator);
    const file = await fileOf(world, BANK, as.bank);
    expect([file.entries.length, file.grade.score]).toEqual([12, 90]);
  });
});

describe('grades in the rules', () => {
  it('alerts on transfers to a D-grade entity above an amount, and tells a member’s dry run nothing of it', async () => {
    const world = new World();
    await accounts(world);
    await world.call(
      'rule:publish',
      {
        ruleId: 'to-d-grade',
        name: '向D级主体大额转账',
        description: '',
        logic: { and: [{ '==': [{ var: 'payee.creditGrade' }, 'D'] }, { '>=': [{ var: 'amount' }, 1_000_000] }] },
        action: 'ALERT',
        severity: 'high',
      },
      as.regulator,
    );
    const pay = (reference: string) => ({ fromAccount: 'bank-a', toAccount: 'ent2-a', amount: 2_000_000, currency: 'CNY', purpose: 'goods', reference });
    const first = await world.call<{ alerts?: string[]; transferId: string }>('transfer:record', pay('before'), as.bank);
    expect((await world.call<{ alerts: string[] }>('transfer:get', { transferId: first.transferId }, as.regulator)).alerts).toEqual([]);
    for (const n of [1, 2, 3, 4]) await world.call('credit:recordSanction', sanction(`罚-${n}`, { amount: 200_000_00 }), as.regulator);
    expect((await world.call<Standing>('credit:lookup', { entityId: ENT2 }, as.bank)).grade).toBe('D');
    const second = await world.call<{ transferId: string }>('transfer:record', pay('after'), as.bank);
    expect((await world.call<{ alerts: string[] }>('transfer:get', { transferId: second.transferId }, as.regulator)).alerts).toHaveLength(1);
    const dryRun = await world.call<Record<string, unknown>>('transfer:checkTransfer', pay('dry'), as.bank);
    expect(dryRun).toEqual({ compliant: true, violations: [], blockedBy: [] });
    const regulatorRun = await world.call<{ facts: { payee: { creditGrade: string } }; fired: unknown[] }>('transfer:checkTransfer', pay('dry'), as.regulator);
    expect([regulatorRun.facts.payee.creditGrade, regulatorRun.fired.length]).toEqual(['D', 1]);
  });
});
