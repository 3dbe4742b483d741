// The filing lifecycle as a table: every status against every action, legal or refused.
import { ChaincodeError } from '../errors';
import { FILING_STATUSES, type FilingAction, filingNumber, nextStatus, TRANSITIONS } from './filing';

const ACTIONS = Object.keys(TRANSITIONS) as FilingAction[];

describe('filing transitions', () => {
  const legal: Record<string, string> = {
    'submitted/startReview': 'under_review',
    'amended/startReview': 'under_review',
    'under_review/approve': 'approved',
    'under_review/return': 'returned',
    'under_review/reject': 'rejected',
    'submitted/amend': 'amended',
    'returned/amend': 'amended',
    'approved/amend': 'amended',
    'submitted/deregister': 'deregistered',
    'approved/deregister': 'deregistered',
    'amended/deregister': 'deregistered',
    'returned/deregister': 'deregistered',
  };
  const cases = FILING_STATUSES.flatMap((s) => ACTIONS.map((a) => [s, a] as const));

  it.each(cases)('%s → %s', (status, action) => {
    const expected = legal[`${status}/${action}`];
    if (expected) {
      expect(nextStatus(status, action)).toBe(expected);
    } else {
      expect(() => nextStatus(status, action)).toThrow(ChaincodeError);
      expect(() => nextStatus(status, action)).toThrow(/FILING_TRANSITION_INVALID/);
    }
  });

  it('ends for good at rejected and deregistered', () => {
    for (const action of ACTIONS) {
      expect(() => nextStatus('rejected', action)).toThrow();
      expect(() => nextStatus('deregistered', action)).toThrow();
    }
  });
});

describe('filing numbers', () => {
  const seconds = Date.UTC(2026, 10, 21, 17, 30) / 1000;

  it('use the China Standard Time date', () => {
    expect(filingNumber('91500000MA5U0ENT1W', seconds, 'tx1', 'FIL-1', 0).slice(9, 17)).toBe('20261122');
  });

  it('are deterministic, CAC-shaped and differ by attempt', () => {
    const a = filingNumber('91500000MA5U0ENT1W', seconds, 'tx1', 'FIL-1', 0);
    expect(a).toBe(filingNumber('91500000MA5U0ENT1W', seconds, 'tx1', 'FIL-1', 0));
    expect(a).toMatch(/^网信备50000020261122\d{6}号$/);
    expect(filingNumber('91500000MA5U0ENT1W', seconds, 'tx1', 'FIL-1', 1)).not.toBe(a);
  });
});
