// Compliance rules: JSON Logic over a documented fact set, a whitelist of operators, BLOCK or ALERT.
import type { RuleAction, Severity } from '@regchain/common';
import jsonLogic from 'json-logic-js';
import { ChaincodeError } from '../errors';
import type { Actor } from './filing';

export { RULE_ACTIONS, SEVERITIES, type RuleAction, type Severity } from '@regchain/common';

/** Which transfers a rule looks at; an empty scope means every transfer. */
export interface RuleScope {
  readonly purposes?: readonly string[];
  readonly projectTypes?: readonly string[];
  /** Only transfers of at least this many fen. */
  readonly minAmount?: number;
}

export interface Rule {
  readonly ruleId: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly logic: unknown;
  readonly action: RuleAction;
  readonly severity: Severity;
  readonly scope: RuleScope;
  readonly active: boolean;
  readonly publishedAt: string;
  readonly publishedBy: Actor;
  readonly lastTxId: string;
}

/** The facts a rule can read about a transfer. Amounts are integers in fen. Windows exclude the transfer itself. */
export interface TransferFacts {
  readonly amount: number;
  readonly currency: string;
  readonly purpose: string;
  /** Hour of the transaction in China Standard Time, 0–23. */
  readonly hourOfDay: number;
  readonly payer: PartyFacts;
  readonly payee: PartyFacts;
  readonly project: ProjectFacts;
  readonly window: WindowFacts;
  readonly pattern: PatternFacts;
}

export interface PartyFacts {
  readonly entityId: string;
  readonly accountId: string;
  /** Best status among the entity's filings ("approved" wins), or "none". */
  readonly filingStatus: string;
  readonly watchlisted: boolean;
  readonly accountWatchlisted: boolean;
  /** The entity's credit grade (A, B, M, C, D) when the transfer is recorded, by the scoring model in force. */
  readonly creditGrade: string;
}

export interface ProjectFacts {
  /** Empty when the transfer is not from a project account. */
  readonly id: string;
  readonly type: string;
  readonly purposeApproved: boolean;
  readonly budget: number;
  readonly spent: number;
  /** Budget left for this purpose before the transfer. */
  readonly remaining: number;
}

export interface WindowFacts {
  readonly payerSum1h: number;
  readonly payerCount1h: number;
  readonly payerSum24h: number;
  readonly payerCount24h: number;
}

export interface PatternFacts {
  /** The payee's account sent money to the payer's account within the last 24 hours. */
  readonly roundTrip: boolean;
}

/** Every path a rule may read with "var": the documented fact set. */
export const FACT_PATHS: readonly string[] = [
  'amount',
  'currency',
  'purpose',
  'hourOfDay',
  ...['payer', 'payee'].flatMap((p) => ['entityId', 'accountId', 'filingStatus', 'watchlisted', 'accountWatchlisted', 'creditGrade'].map((f) => `${p}.${f}`)),
  ...['id', 'type', 'purposeApproved', 'budget', 'spent', 'remaining'].map((f) => `project.${f}`),
  ...['payerSum1h', 'payerCount1h', 'payerSum24h', 'payerCount24h'].map((f) => `window.${f}`),
  'pattern.roundTrip',
];

/** Operators a rule may use: comparisons, logic, arithmetic, membership. No "log", no custom operations. */
export const OPERATORS: readonly string[] = [
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!',
  '!!',
  'and',
  'or',
  'if',
  '?:',
  'in',
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  'var',
  'missing',
  'missing_some',
  'cat',
];

const MAX_NODES = 200;
const MAX_DEPTH = 12;
/** A rule's logic as JSON, and each text in it: with no loops allowed, nodes times text length bounds evaluation. */
const MAX_LOGIC_BYTES = 16 * 1024;
const MAX_TEXT = 256;

/**
 * Refuses logic that uses an operator off the whitelist, reads an undocumented fact, or is too large. Every
 * node is visited, the default of a "var" included, so nothing unchecked can hide inside an argument. The
 * whitelist has no looping operators (map, reduce, filter, all, some, none), so evaluation costs at most
 * one step per node.
 */
export function validateLogic(logic: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(logic) ?? '', 'utf8');
  if (size > MAX_LOGIC_BYTES) throw new ChaincodeError('RULE_INVALID', `logic is ${size} bytes of JSON; at most ${MAX_LOGIC_BYTES}`);
  let nodes = 0;
  const visit = (node: unknown, depth: number, where: string): void => {
    nodes += 1;
    if (nodes > MAX_NODES) throw new ChaincodeError('RULE_INVALID', `logic has more than ${MAX_NODES} nodes`);
    if (depth > MAX_DEPTH) throw new ChaincodeError('RULE_INVALID', `logic is nested deeper than ${MAX_DEPTH}`);
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, depth + 1, `${where}[${i}]`));
      return;
    }
    if (node === null || typeof node !== 'object') {
      if (typeof node === 'number' && !Number.isFinite(node)) throw new ChaincodeError('RULE_INVALID', `${where} is not a finite number`);
      if (typeof node === 'string' && node.length > MAX_TEXT) throw new ChaincodeError('RULE_INVALID', `${where} is a text longer than ${MAX_TEXT} characters`);
      return;
    }
    const keys = Object.keys(node);
    const op = keys[0];
    if (keys.length !== 1 || op === undefined) {
      throw new ChaincodeError('RULE_INVALID', `${where} must be an operation with exactly one operator`);
    }
    if (!OPERATORS.includes(op)) {
      throw new ChaincodeError('RULE_INVALID', `operator "${op}" at ${where} is not allowed; use one of ${OPERATORS.join(' ')}`, {
        operator: op,
      });
    }
    const args = (node as Record<string, unknown>)[op];
    if (op === 'var') {
      const [path, ...rest] = Array.isArray(args) ? (args as unknown[]) : [args];
      if (typeof path !== 'string' || !FACT_PATHS.includes(path)) {
        throw new ChaincodeError('RULE_INVALID', `fact "${String(path)}" at ${where} is not in the fact set`, { fact: String(path) });
      }
      if (rest.length > 1) throw new ChaincodeError('RULE_INVALID', `"var" at ${where} takes a fact and at most one default`);
      // The default is logic too: json-logic evaluates it.
      rest.forEach((d, i) => visit(d, depth + 1, `${where}.var[${i + 1}]`));
      return;
    }
    visit(args, depth + 1, `${where}.${op}`);
  };
  visit(logic, 0, 'logic');
}

/** Facts a rule is tried on before it is published: one quiet transfer, one that touches every fact. */
export const SAMPLE_FACTS: readonly TransferFacts[] = [
  {
    amount: 1,
    currency: 'CNY',
    purpose: 'general',
    hourOfDay: 0,
    payer: { entityId: '', accountId: '', filingStatus: 'none', watchlisted: false, accountWatchlisted: false, creditGrade: 'M' },
    payee: { entityId: '', accountId: '', filingStatus: 'none', watchlisted: false, accountWatchlisted: false, creditGrade: 'M' },
    project: { id: '', type: '', purposeApproved: false, budget: 0, spent: 0, remaining: 0 },
    window: { payerSum1h: 0, payerCount1h: 0, payerSum24h: 0, payerCount24h: 0 },
    pattern: { roundTrip: false },
  },
  {
    amount: 100_000_000_000_000,
    currency: 'CNY',
    purpose: 'construction',
    hourOfDay: 23,
    payer: { entityId: '91500000MA5U0ENT1W', accountId: 'acc-a', filingStatus: 'approved', watchlisted: true, accountWatchlisted: true, creditGrade: 'A' },
    payee: { entityId: '91500000MA5U0BNK10', accountId: 'acc-b', filingStatus: 'under_review', watchlisted: true, accountWatchlisted: true, creditGrade: 'D' },
    project: { id: 'p-1', type: 'public_fund', purposeApproved: true, budget: 5_000_000, spent: 4_000_000, remaining: 1_000_000 },
    window: { payerSum1h: 10_000_000, payerCount1h: 12, payerSum24h: 90_000_000, payerCount24h: 40 },
    pattern: { roundTrip: true },
  },
];

/**
 * Checks that the logic is allowed and evaluates without an error on the sample facts, so a rule that
 * would throw on every transfer is refused at publication rather than found on the first transfer.
 */
export function checkPublishable(logic: unknown): void {
  validateLogic(logic);
  SAMPLE_FACTS.forEach((facts, i) => {
    try {
      jsonLogic.apply(logic as jsonLogic.RulesLogic, facts);
    } catch (err) {
      throw new ChaincodeError('RULE_INVALID', `logic fails on sample transfer ${i + 1}: ${(err as Error).message}`, { sample: i + 1 });
    }
  });
}

export function inScope(rule: Rule, facts: TransferFacts): boolean {
  const s = rule.scope;
  if (s.purposes && s.purposes.length > 0 && !s.purposes.includes(facts.purpose)) return false;
  if (s.projectTypes && s.projectTypes.length > 0 && !s.projectTypes.includes(facts.project.type)) return false;
  if (s.minAmount !== undefined && facts.amount < s.minAmount) return false;
  return true;
}

export interface FiredRule {
  readonly ruleId: string;
  readonly version: number;
  readonly name: string;
  readonly action: RuleAction;
  readonly severity: Severity;
  readonly description: string;
}

/** A rule whose logic threw on this transfer's facts: reported with the transfer, never silently skipped. */
export interface FailedRule {
  readonly ruleId: string;
  readonly version: number;
  readonly action: RuleAction;
  readonly error: string;
}

export interface RuleOutcome {
  readonly fired: FiredRule[];
  readonly failed: FailedRule[];
}

/**
 * Applies the active rules in ruleId order: those whose logic holds fire; one that throws is reported as
 * failed and the others still apply, so one broken rule cannot stop every transfer.
 */
export function applyRules(rules: readonly Rule[], facts: TransferFacts): RuleOutcome {
  const fired: FiredRule[] = [];
  const failed: FailedRule[] = [];
  const ordered = [...rules].filter((r) => r.active && inScope(r, facts)).sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  for (const r of ordered) {
    let holds: boolean;
    try {
      holds = Boolean(jsonLogic.apply(r.logic as jsonLogic.RulesLogic, facts));
    } catch (err) {
      failed.push({ ruleId: r.ruleId, version: r.version, action: r.action, error: String((err as Error).message ?? err).slice(0, 200) });
      continue;
    }
    if (holds) fired.push({ ruleId: r.ruleId, version: r.version, name: r.name, action: r.action, severity: r.severity, description: r.description });
  }
  return { fired, failed };
}

/** The BLOCK error for the fired blocking rules, naming each rule and version. */
export function blockError(fired: readonly FiredRule[]): ChaincodeError | undefined {
  const blocking = fired.filter((f) => f.action === 'BLOCK');
  const first = blocking[0];
  if (!first) return undefined;
  const names = blocking.map((b) => `${b.ruleId} v${b.version} "${b.name}"`).join(', ');
  return new ChaincodeError('RULE_BLOCKED', `transfer blocked by rule ${names}`, {
    rules: blocking.map((b) => ({ ruleId: b.ruleId, version: b.version, severity: b.severity })),
  });
}
