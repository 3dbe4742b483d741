// The scoring arithmetic: deductions from 100 by the published model, periods by business time, repair of a
// sanction after its publication, objections, caps, bands, and the same answer whatever order the file is in.
import { DEFAULT_CREDIT_MODEL } from '@regchain/common';
import {
  bandOf,
  checkModel,
  type CreditEntry,
  DEFAULT_MODEL,
  grade,
  inPublication,
  lateDayOf,
  type ModelVersion,
  modelAt,
  standing,
  withLateTransfers,
} from './credit';

const ENT = '91500000MA5U0ENT1W';
let n = 0;
const entry = (kind: CreditEntry['kind'], at: string, extra: Partial<CreditEntry> = {}): CreditEntry => ({
  entryId: `CE-${String((n += 1)).padStart(4, '0')}`,
  entityId: ENT,
  kind,
  at,
  recordedAt: at,
  txId: `tx${n}`,
  summary: kind,
  ...extra,
});
const sanction = (at: string, amount: number, publicationDays = 365): CreditEntry =>
  entry('sanction', at, {
    sanction: { legalBasis: 'Provisions on blockchain information services, art. 20', decisionNumber: `X-${n}`, amount, publicationDays },
  });

describe('the grade', () => {
  it('is M with the full base for an entity with nothing in its file', () => {
    expect(grade(ENT, [], DEFAULT_MODEL, '2026-06-01T00:00:00Z')).toMatchObject({ score: 100, grade: 'M', contributions: [] });
  });

  it('deducts each entry that counts, and shows every contribution', () => {
    const file = [
      entry('filing_approved', '2026-01-05T00:00:00Z'),
      entry('filing_returned', '2026-02-01T00:00:00Z'),
      sanction('2026-03-01T00:00:00Z', 5_000_00),
    ];
    const g = grade(ENT, file, DEFAULT_MODEL, '2026-06-01T00:00:00Z');
    expect(g.score).toBe(100 - 2 - 11);
    expect(g.grade).toBe('B');
    expect(g.contributions.map((c) => [c.kind, c.points, c.counts])).toEqual([
      ['filing_approved', 0, true],
      ['filing_returned', -2, true],
      ['sanction', -11, true],
    ]);
  });

  it('deducts more for a fine of 100,000 yuan or more', () => {
    expect(grade(ENT, [sanction('2026-03-01T00:00:00Z', 100_000_00)], DEFAULT_MODEL, '2026-03-02T00:00:00Z').score).toBe(80);
    expect(grade(ENT, [sanction('2026-03-01T00:00:00Z', 99_999_99)], DEFAULT_MODEL, '2026-03-02T00:00:00Z').score).toBe(89);
  });

  it('counts nothing recorded after the time asked about', () => {
    expect(grade(ENT, [sanction('2026-03-01T00:00:00Z', 0)], DEFAULT_MODEL, '2026-02-28T23:59:59Z')).toMatchObject({ score: 100, grade: 'M' });
  });

  it('repairs a sanction after its publication period, by business time alone', () => {
    const s = sanction('2026-03-01T00:00:00Z', 0, 90);
    const during = grade(ENT, [s], DEFAULT_MODEL, '2026-05-29T23:59:59Z');
    const after = grade(ENT, [s], DEFAULT_MODEL, '2026-05-30T00:00:00Z');
    expect([during.score, inPublication(s, DEFAULT_CREDIT_MODEL, during.at)]).toEqual([89, true]);
    expect([after.score, inPublication(s, DEFAULT_CREDIT_MODEL, after.at)]).toEqual([100, false]);
    expect(after.contributions[0]).toMatchObject({ counts: false, cause: 'repaired', reason: 'publication period over: repaired' });
    // Repaired, the file still remembers it: the grade is not M.
    expect(after.grade).toBe('A');
  });

  it('caps late reporting and commendations, and keeps the score within 0 and the base', () => {
    const late = Array.from({ length: 15 }, (_, i) => entry('late_report', `2026-04-${String(i + 1).padStart(2, '0')}T00:00:00Z`));
    expect(grade(ENT, late, DEFAULT_MODEL, '2026-05-01T00:00:00Z').score).toBe(90);
    const praised = Array.from({ length: 4 }, (_, i) => entry('commendation', `2026-04-0${i + 1}T00:00:00Z`));
    expect(grade(ENT, praised, DEFAULT_MODEL, '2026-05-01T00:00:00Z').score).toBe(100);
    const ruined = Array.from({ length: 12 }, (_, i) => entry('pattern_confirmed', `2026-04-${String(i + 1).padStart(2, '0')}T00:00:00Z`));
    expect(grade(ENT, ruined, DEFAULT_MODEL, '2026-05-01T00:00:00Z')).toMatchObject({ score: 0, grade: 'D' });
  });

  it('keeps an objected entry counting until the regulator decides; a correction changes what it counts as', () => {
    const raised = { note: 'the fine was paid', raisedAt: '2026-03-05T00:00:00Z', txId: 'o1' };
    const open = sanction('2026-03-01T00:00:00Z', 0);
    const openFile = [{ ...open, objection: { ...raised, status: 'open' as const } }];
    expect(grade(ENT, openFile, DEFAULT_MODEL, '2026-04-01T00:00:00Z').score).toBe(89);
    const upheld = [{ ...open, objection: { ...raised, status: 'upheld' as const, decision: { note: 'stands', at: '2026-03-10T00:00:00Z', txId: 'd1' } } }];
    expect(grade(ENT, upheld, DEFAULT_MODEL, '2026-04-01T00:00:00Z').score).toBe(89);
    const voided = [
      {
        ...open,
        objection: {
          ...raised,
          status: 'corrected' as const,
          decision: { note: 'recorded in error', at: '2026-03-10T00:00:00Z', txId: 'd2', correctedKind: 'void' as const },
        },
      },
    ];
    const g = grade(ENT, voided, DEFAULT_MODEL, '2026-04-01T00:00:00Z');
    expect([g.score, g.grade, g.contributions[0]?.reason]).toEqual([100, 'M', 'corrected to no entry after an objection']);
    const lighter = [
      {
        ...open,
        objection: {
          ...raised,
          status: 'corrected' as const,
          decision: { note: 'a late report, not a breach', at: '2026-03-10T00:00:00Z', txId: 'd3', correctedKind: 'late_report' as const },
        },
      },
    ];
    expect(grade(ENT, lighter, DEFAULT_MODEL, '2026-04-01T00:00:00Z').score).toBe(99);
  });

  it('is the same whatever order the file is in', () => {
    const file = [
      entry('filing_rejected', '2026-01-01T00:00:00Z'),
      sanction('2026-02-01T00:00:00Z', 0),
      ...Array.from({ length: 12 }, (_, i) => entry('late_report', `2026-03-${String(i + 1).padStart(2, '0')}T00:00:00Z`)),
      entry('commendation', '2026-03-20T00:00:00Z'),
    ];
    const reference = grade(ENT, file, DEFAULT_MODEL, '2026-04-01T00:00:00Z');
    for (let i = 0; i < 20; i += 1) {
      const shuffled = [...file].sort(
        (a, b) => ((i * 7919 + a.txId.length * 31 + Number(a.entryId.slice(3))) % 13) - ((i * 7919 + b.txId.length * 31 + Number(b.entryId.slice(3))) % 13),
      );
      expect(grade(ENT, shuffled, DEFAULT_MODEL, '2026-04-01T00:00:00Z')).toEqual(reference);
    }
  });

  it('grades by the model given, naming its version', () => {
    const stricter: ModelVersion = {
      ...DEFAULT_MODEL,
      version: 2,
      model: { ...DEFAULT_CREDIT_MODEL, rules: { ...DEFAULT_CREDIT_MODEL.rules, filing_returned: { points: -15, countsDays: 365 } } },
    };
    const file = [entry('filing_returned', '2026-02-01T00:00:00Z')];
    expect(grade(ENT, file, DEFAULT_MODEL, '2026-03-01T00:00:00Z')).toMatchObject({ score: 98, grade: 'A', modelVersion: 1 });
    expect(grade(ENT, file, stricter, '2026-03-01T00:00:00Z')).toMatchObject({ score: 85, grade: 'B', modelVersion: 2 });
  });
});

describe('the bands', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [70, 'B'],
    [69, 'C'],
    [40, 'C'],
    [39, 'D'],
    [0, 'D'],
  ])('%i is %s', (score, band) => {
    expect(bandOf(score, DEFAULT_CREDIT_MODEL)).toBe(band);
  });
});

describe('grades in time', () => {
  const v2: ModelVersion = {
    version: 2,
    model: { ...DEFAULT_CREDIT_MODEL, rules: { ...DEFAULT_CREDIT_MODEL.rules, filing_returned: { points: -25, countsDays: 365 } } },
    publishedAt: '2026-06-01T00:00:00Z',
    lastTxId: 'm2',
  };

  it('takes the model in force at the moment asked about: past grades keep the version that made them', () => {
    const file = [entry('filing_returned', '2026-02-01T00:00:00Z')];
    const before = grade(ENT, file, modelAt([v2], '2026-05-31T23:59:59Z'), '2026-05-31T23:59:59Z');
    const after = grade(ENT, file, modelAt([v2], '2026-06-01T00:00:00Z'), '2026-06-01T00:00:00Z');
    expect([before.modelVersion, before.score, before.grade]).toEqual([1, 98, 'A']);
    expect([after.modelVersion, after.score, after.grade]).toEqual([2, 75, 'B']);
  });

  it('does not know at an earlier moment an entry recorded later, even one decided earlier', () => {
    const backdated = { ...sanction('2026-03-01T00:00:00Z', 0), recordedAt: '2026-04-01T00:00:00Z' };
    expect(grade(ENT, [backdated], DEFAULT_MODEL, '2026-03-15T00:00:00Z')).toMatchObject({ score: 100, grade: 'M' });
    expect(grade(ENT, [backdated], DEFAULT_MODEL, '2026-04-01T00:00:00Z')).toMatchObject({ score: 89, grade: 'B' });
    expect(inPublication(backdated, DEFAULT_CREDIT_MODEL, '2026-03-15T00:00:00Z')).toBe(false);
  });

  it('keeps the grade before a correction as it was, and applies the correction from its decision on', () => {
    const corrected: CreditEntry = {
      ...sanction('2026-03-01T00:00:00Z', 0),
      objection: {
        note: 'wrong entity',
        raisedAt: '2026-03-05T00:00:00Z',
        txId: 'o2',
        status: 'corrected',
        decision: { note: 'recorded in error', at: '2026-03-10T00:00:00Z', txId: 'd4', correctedKind: 'void' },
      },
    };
    expect(grade(ENT, [corrected], DEFAULT_MODEL, '2026-03-07T00:00:00Z').contributions[0]).toMatchObject({
      points: -11,
      reason: 'counts while the objection is open',
    });
    expect(grade(ENT, [corrected], DEFAULT_MODEL, '2026-03-10T00:00:00Z').score).toBe(100);
  });

  it('shows partners only the grade and the sanctions in publication', () => {
    const file = [
      entry('filing_rejected', '2026-01-01T00:00:00Z'),
      sanction('2026-02-01T00:00:00Z', 3_000_00, 30),
      sanction('2026-03-01T00:00:00Z', 1_000_00, 90),
    ];
    const view = standing(ENT, file, DEFAULT_MODEL, '2026-03-15T00:00:00Z');
    expect(Object.keys(view).sort()).toEqual(['at', 'entityId', 'grade', 'modelVersion', 'sanctions']);
    expect(view.grade).toBe('B');
    expect(view.sanctions).toEqual([
      expect.objectContaining({ amount: 1_000_00, decidedAt: '2026-03-01T00:00:00Z', publishedUntil: '2026-05-30T00:00:00.000Z' }),
    ]);
  });
});

describe('a model the regulator may publish', () => {
  it('accepts the default', () => {
    expect(() => checkModel(DEFAULT_CREDIT_MODEL)).not.toThrow();
  });

  it.each([
    ['bands out of order', { bands: [DEFAULT_CREDIT_MODEL.bands[1], DEFAULT_CREDIT_MODEL.bands[0], DEFAULT_CREDIT_MODEL.bands[2]] }],
    ['A above the base', { base: 80 }],
    [
      'equal minimums',
      {
        bands: [
          { grade: 'A', min: 70 },
          { grade: 'B', min: 70 },
          { grade: 'C', min: 40 },
        ],
      },
    ],
    ['a severe sanction lighter than an ordinary one', { severePoints: -5 }],
  ])('refuses %s', (_what, change) => {
    expect(() => checkModel({ ...DEFAULT_CREDIT_MODEL, ...change } as typeof DEFAULT_CREDIT_MODEL)).toThrow(/CREDIT_MODEL_INVALID/);
  });
});

describe('late reporting by day', () => {
  it('puts a transfer in its China day, dated at the day’s start, whatever hour it was recorded', () => {
    expect(lateDayOf('2026-11-21T15:59:59Z')).toEqual({ day: '20261121', at: '2026-11-20T16:00:00.000Z' });
    expect(lateDayOf('2026-11-21T16:00:00Z')).toEqual({ day: '20261122', at: '2026-11-21T16:00:00.000Z' });
    expect(lateDayOf('2026-11-22T15:00:00Z')).toEqual(lateDayOf('2026-11-21T16:00:00Z'));
  });

  it('counts a day’s transfers the same however they were filed', () => {
    const once = withLateTransfers(undefined, '20261122', ['t3', 't1', 't2']);
    const inTwo = withLateTransfers(withLateTransfers(undefined, '20261122', ['t2']), '20261122', ['t3', 't1']);
    expect(inTwo).toEqual(once);
    expect(once).toEqual({ day: '20261122', count: 3, transferIds: ['t1', 't2', 't3'] });
  });
});
