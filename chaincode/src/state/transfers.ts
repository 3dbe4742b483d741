// Transfers' keys and indexes: the record (its id keeps references unique), the flows traces walk, and the windows
// rules read. A transaction writes only keys of its own (insert-only: the record by transfer id, the index buckets
// by transaction id), so concurrent transfers of one payer never write the same key; and the write path reads only
// window buckets recorded in settled minutes, which no concurrent transfer can insert into, so they never conflict
// either (see `payerWindow`). Buckets keep a batch's keys few: one per account, payer and day, not per transfer.
import { createHash } from 'node:crypto';
import type { Actor } from '../domain/filing';
import { DAY } from '@regchain/common';
import { type PayerWindow, type WindowEntry, WindowIndex, windowOf } from '../domain/facts';
import { idFromTx } from '../domain/filing';
import type { FailedRule } from '../domain/rules';
import type { Edge } from '@regchain/common';
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

/**
 * Recording minutes. What a window reads is settled: recorded before the previous minute of the ledger. No
 * concurrent transaction inserts there (each inserts at its own, current minute), and every peer has committed
 * it (peers lag each other by a block or two): two endorsing peers read the same window, and its range is not
 * re-read differently at validation.
 */
const MINUTE = 60;
const SETTLED_AFTER_SECONDS = 2 * MINUTE;

const day = (seconds: number): string => String(Math.floor(seconds / DAY)).padStart(6, '0');
const minute = (seconds: number): string => String(Math.floor(seconds / MINUTE)).padStart(10, '0');

export const transferKey = (id: string): string => key('transfer', id);
export const settingsKey = (): string => key('settings', 'transfer');

/**
 * Flow buckets, the indexes traces walk (queries only): the edges one transaction recorded out of (or into) one
 * account on one business day. A batch writes one per account and day it touches, not one per transfer.
 */
const flowPrefix = (direction: 'out' | 'in'): string => (direction === 'out' ? 'flowsout' : 'flowsin');
const flowBucketKey = (direction: 'out' | 'in', account: string, executed: number, txId: string): string =>
  key(flowPrefix(direction), account, day(executed), txId);

interface FlowBucket {
  readonly edges: readonly Edge[];
}

/** Ledgers written before flow buckets hold one edge per key, by account and second. */
const legacyFlowRange = (direction: 'out' | 'in', account: string, fromSeconds: number, toSeconds: number): [string, string] => [
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(fromSeconds)),
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(toSeconds + 1)),
];

/** The edges out of (or into) an account executed in [fromTime, toTime], by time: read cost grows with them, not with the ledger. */
export async function edgesOf(ledger: Ledger, direction: 'out' | 'in', account: string, fromTime: number, toTime: number): Promise<Edge[]> {
  const start = key(flowPrefix(direction), account, day(Math.max(0, fromTime)));
  const end = key(flowPrefix(direction), account, day(toTime + DAY));
  const buckets = await ledger.range<FlowBucket>(start, end);
  const legacy = await ledger.range<Edge>(...legacyFlowRange(direction, account, fromTime, toTime));
  return [...buckets.flatMap((b) => b.value.edges), ...legacy.map((r) => r.value)]
    .filter((e) => e.time >= fromTime && e.time <= toTime)
    .sort((a, b) => a.time - b.time || (a.transferId < b.transferId ? -1 : a.transferId > b.transferId ? 1 : 0));
}

/**
 * Window buckets: by payer entity, business day, recording minute, then transaction, so settled minutes are one
 * range. A bucket holds the transaction's transfers of that payer and day: a batch writes one per payer and day,
 * not one per transfer, and a window reads as many keys as transactions recorded them.
 */
const payerWindowKey = (entity: string, executed: number, recorded: number, txId: string): string =>
  key('payerwin', entity, day(executed), minute(recorded), txId);

interface WindowBucket {
  readonly entries: readonly WindowEntry[];
}

/** A bucket's entries; ledgers written before buckets hold one entry per key, read as a bucket of one. */
const entriesOf = (stored: WindowBucket | WindowEntry): readonly WindowEntry[] => ('entries' in stored ? stored.entries : [stored]);

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

/** Closed buckets are read once per transaction; their index is built once per range read (the cached result). */
const indexes = new WeakMap<object, WindowIndex>();

/**
 * One business day of a payer entity as windows see it: the buckets recorded in settled minutes (one range read,
 * the same on every peer and at validation), indexed; and this transaction's own entries (batch items before this
 * one), read from its pending writes without touching state.
 */
async function payerDay(ledger: Ledger, entity: string, dayStart: number, recorded: number): Promise<{ closed: WindowIndex; own: WindowEntry[] }> {
  const from = key('payerwin', entity, day(dayStart), '');
  const open = key('payerwin', entity, day(dayStart), minute(recorded - SETTLED_AFTER_SECONDS + MINUTE));
  const buckets = await ledger.range<WindowBucket | WindowEntry>(from, open);
  let closed = indexes.get(buckets);
  if (!closed) {
    closed = new WindowIndex(buckets.flatMap((b) => entriesOf(b.value)));
    indexes.set(buckets, closed);
  }
  const own = ledger.written<WindowBucket>(open, from + KEY_END).flatMap((b) => b.value.entries);
  return { closed, own };
}

const daysOf = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d += 1) out.push(d * DAY);
  return out;
};

/**
 * The payer entity's heaviest 1 h and 24 h windows that contain `executed`, counting its transfers executed up to
 * a day before *and after* it: one reported late is checked against what was recorded after it. Includes every
 * transfer recorded before the previous minute of the ledger, and this transaction's own; it misses those other
 * transactions recorded in the current and the previous minute (60 to 120 s of them; the monitor sees them all).
 * That gap cannot hide a transfer twice: whichever of two such transfers is checked later, or any transfer after
 * them, sees both.
 */
export async function payerWindow(ledger: Ledger, entity: string, executed: number, recorded: number): Promise<PayerWindow> {
  const entries: { amount: number; executedAt: number }[] = [];
  // No transfer is executed after the ledger's time plus the skew: days past it are not read.
  for (const d of daysOf(executed - DAY, Math.min(executed + DAY, recorded + MAX_SKEW_SECONDS))) {
    const { closed, own } = await payerDay(ledger, entity, d, recorded);
    entries.push(...closed.between(executed - DAY, executed + DAY), ...own);
  }
  return windowOf(entries, executed);
}

/**
 * Whether account `from` (of entity `fromEntity`) paid account `to` with a transfer executed in [fromTime,
 * toTime]; read from the paying entity's window buckets, so known as `payerWindow` knows.
 */
export async function paid(ledger: Ledger, fromEntity: string, from: string, to: string, fromTime: number, toTime: number, recorded: number): Promise<boolean> {
  for (const d of daysOf(fromTime, Math.min(toTime, recorded + MAX_SKEW_SECONDS))) {
    const { closed, own } = await payerDay(ledger, fromEntity, d, recorded);
    if (closed.paid(from, to, fromTime, toTime)) return true;
    if (own.some((e) => e.from === from && e.to === to && e.executedAt >= fromTime && e.executedAt <= toTime)) return true;
  }
  return false;
}

/**
 * The record (a key of its own) and its indexes, each an entry in a bucket of the transaction's own: the flow
 * buckets of both accounts and the window bucket of the payer, for the business day.
 */
export async function saveTransfer(ledger: Ledger, t: Transfer, recorded: number): Promise<void> {
  const edge: Edge = { transferId: t.transferId, from: t.from, to: t.to, amount: t.amount, purpose: t.purpose, projectId: t.projectId, time: t.time };
  const txId = ledger.txId();
  await ledger.put(transferKey(t.transferId), t);
  for (const [direction, account] of [
    ['out', t.from],
    ['in', t.to],
  ] as const) {
    const k = flowBucketKey(direction, account, t.time, txId);
    const bucket = ledger.own<FlowBucket>(k);
    await ledger.put(k, { edges: [...(bucket?.edges ?? []), edge] } satisfies FlowBucket);
  }
  const k = payerWindowKey(t.payerEntityId, t.time, recorded, txId);
  const entry: WindowEntry = { amount: t.amount, executedAt: t.time, from: t.from, to: t.to };
  const bucket = ledger.own<WindowBucket>(k);
  await ledger.put(k, { entries: [...(bucket?.entries ?? []), entry] } satisfies WindowBucket);
}
