// Transfers' keys and indexes: the record (its id keeps references unique), the flows traces walk, and the windows
// rules read. A transfer writes only keys of its own (insert-only, its id in each), so concurrent transfers of
// one payer never write the same key; and the write path reads only index entries recorded in closed minutes,
// which no concurrent transfer can insert into, so they never conflict either (see `payerWindow`).
import { createHash } from 'node:crypto';
import type { Actor } from '../domain/filing';
import { DAY, type PayerWindow, windowOf } from '../domain/facts';
import { idFromTx } from '../domain/filing';
import type { FailedRule } from '../domain/rules';
import type { Edge } from '../domain/trace';
import { key, KEY_END, type Ledger, paddedSeconds } from '../ledger';

export interface Transfer extends Edge {
  readonly payerEntityId: string;
  readonly payeeEntityId: string;
  readonly payerBankId: string;
  readonly payeeBankId: string;
  readonly currency: 'CNY';
  /** The reporter's own reference, unique per reporter when given. */
  readonly reference: string;
  /** When the payment happened (business time); `time` is the same instant in seconds. */
  readonly executedAt: string;
  /** When the ledger recorded it (the transaction's time). */
  readonly recordedAt: string;
  readonly recordedBy: Actor;
  readonly alerts: readonly string[];
  /** Active rules whose logic failed on this transfer's facts: reported, never silently skipped. */
  readonly ruleFailures: readonly FailedRule[];
}

/** Channel-wide limits on business time, set by the regulator. */
export interface TransferSettings {
  /** How many days before the ledger's time a transfer may have been executed; null: any (a back-test network). */
  readonly maxBackdateDays: number | null;
}

export const DEFAULT_SETTINGS: TransferSettings = { maxBackdateDays: 30 };
/** A payment may be reported as executed at most this far after the ledger's own time (clock skew). */
export const MAX_SKEW_SECONDS = 300;

/** Recording minutes: what a window reads is closed (recorded before the current minute). */
const MINUTE = 60;

const day = (seconds: number): string => String(Math.floor(seconds / DAY)).padStart(6, '0');
const minute = (seconds: number): string => String(Math.floor(seconds / MINUTE)).padStart(10, '0');

export const transferKey = (id: string): string => key('transfer', id);
export const settingsKey = (): string => key('settings', 'transfer');

/** Edges by account and business time: the indexes traces walk (queries only). */
export const flowKey = (direction: 'out' | 'in', account: string, seconds: number, transferId: string): string =>
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(seconds), transferId);
export const flowRange = (direction: 'out' | 'in', account: string, fromSeconds: number, toSeconds: number): [string, string] => [
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(fromSeconds)),
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(toSeconds + 1)),
];

/** Window entries: by payer entity, business day, then recording minute, so closed minutes are one range. */
const payerWindowKey = (entity: string, executed: number, recorded: number, id: string): string => key('payerwin', entity, day(executed), minute(recorded), id);

/** What a window entry holds: enough for sums and for round trips (who paid whom). */
interface WindowEntry {
  readonly amount: number;
  readonly executedAt: number;
  readonly from: string;
  readonly to: string;
}

/**
 * A transfer's id: from the reporter's reference when it gives one (so the record itself keeps references
 * unique per reporter, without a key of their own), else from the transaction id and the batch position.
 */
export function transferIdFor(reporter: string, reference: string, txId: string, seq: number): string {
  if (reference) return `TRF-${createHash('sha256').update(`${reporter}\u0000${reference}`).digest('hex').slice(0, 32)}`;
  return seq === 0 ? idFromTx('TRF', txId) : `${idFromTx('TRF', txId)}-${seq}`;
}

export async function settings(ledger: Ledger): Promise<TransferSettings> {
  return (await ledger.get<TransferSettings>(settingsKey())) ?? DEFAULT_SETTINGS;
}

export async function transferExists(ledger: Ledger, transferId: string): Promise<boolean> {
  return ledger.exists(transferKey(transferId));
}

/**
 * Entries of one business day with a prefix: those recorded in closed minutes (one range read, which no
 * concurrent transaction can insert into, as each inserts at its own, current minute), and this
 * transaction's own (batch items before this one), read from its pending writes without touching state.
 */
async function closedAndOwn<T>(ledger: Ledger, prefix: readonly string[], recorded: number): Promise<T[]> {
  const dayStart = key(...prefix, '');
  const open = key(...prefix, minute(recorded));
  const closed = await ledger.range<T>(dayStart, open);
  const own = ledger.written<T>(open, dayStart + KEY_END);
  return [...closed, ...own].map((r) => r.value);
}

const daysOf = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d += 1) out.push(d * DAY);
  return out;
};

/**
 * The payer entity's transfers executed in the 24 h up to `executed`. Includes every transfer recorded before
 * the current minute of the ledger, and this transaction's own; it may miss transfers other transactions
 * record in the current minute (at most the last minute's, the monitor sees them all).
 */
async function windowEntries(ledger: Ledger, entity: string, fromTime: number, toTime: number, recorded: number): Promise<WindowEntry[]> {
  const entries: WindowEntry[] = [];
  for (const d of daysOf(fromTime, toTime)) entries.push(...(await closedAndOwn<WindowEntry>(ledger, ['payerwin', entity, day(d)], recorded)));
  return entries;
}

export async function payerWindow(ledger: Ledger, entity: string, executed: number, recorded: number): Promise<PayerWindow> {
  return windowOf(await windowEntries(ledger, entity, executed - DAY, executed, recorded), executed);
}

/**
 * Whether account `from` (of entity `fromEntity`) paid account `to` with a transfer executed in [fromTime,
 * toTime]; read from the paying entity's window entries, so known as `payerWindow` knows.
 */
export async function paid(ledger: Ledger, fromEntity: string, from: string, to: string, fromTime: number, toTime: number, recorded: number): Promise<boolean> {
  const entries = await windowEntries(ledger, fromEntity, fromTime, toTime, recorded);
  return entries.some((e) => e.from === from && e.to === to && e.executedAt >= fromTime && e.executedAt <= toTime);
}

/** The record and every index of a new transfer: four keys, each its own. */
export async function saveTransfer(ledger: Ledger, t: Transfer, recorded: number): Promise<void> {
  const edge: Edge = { transferId: t.transferId, from: t.from, to: t.to, amount: t.amount, purpose: t.purpose, projectId: t.projectId, time: t.time };
  await ledger.put(transferKey(t.transferId), t);
  await ledger.put(flowKey('out', t.from, t.time, t.transferId), edge);
  await ledger.put(flowKey('in', t.to, t.time, t.transferId), edge);
  const entry: WindowEntry = { amount: t.amount, executedAt: t.time, from: t.from, to: t.to };
  await ledger.put(payerWindowKey(t.payerEntityId, t.time, recorded, t.transferId), entry);
}
