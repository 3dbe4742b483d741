// Credit files' keys: one record per entity holding its whole file (a handful of final decisions a year, so a
// transfer's rules read an entity's grade with one point read, never a range), the scoring model in force and
// each version, each source recorded once (a sanction's decision number, a late transfer), and objections by status.
import type { Context } from 'fabric-contract-api';
import type { CreditEntryKind, ObjectionStatus } from '@regchain/common';
import { type CreditEntry, DEFAULT_MODEL, grade, type ModelVersion } from '../domain/credit';
import { key, type Ledger } from '../ledger';
import { protect, type RegchainContext } from '../contracts/base';

export interface CreditFile {
  readonly entityId: string;
  /** Append-only: entries are never removed; an objection and its decision are added to the entry. */
  readonly entries: readonly CreditEntry[];
}

export const creditFileKey = (entityId: string): string => key('creditfile', entityId);
export const CURRENT_MODEL_KEY = key('creditmodel', 'current');
export const modelVersionKey = (version: number): string => key('creditmodel', 'v', String(version).padStart(6, '0'));
export const creditSourceKey = (source: string): string => key('creditsource', source);
export const objectionIndex = (status: ObjectionStatus, entityId: string, entryId: string): string => key('creditobjidx', status, entityId, entryId);

export async function fileOf(ledger: Ledger, entityId: string): Promise<CreditFile> {
  return (await ledger.get<CreditFile>(creditFileKey(entityId))) ?? { entityId, entries: [] };
}

/** The model in force now (the last published, or the built-in default): one point read. */
export async function currentModel(ledger: Ledger): Promise<ModelVersion> {
  return (await ledger.get<ModelVersion>(CURRENT_MODEL_KEY)) ?? DEFAULT_MODEL;
}

/** The model in force at a moment, walking back from the current version by point reads (no range on a write path). */
export async function modelInForce(ledger: Ledger, at: string): Promise<ModelVersion> {
  let v = await currentModel(ledger);
  const t = Date.parse(at);
  while (v.version > DEFAULT_MODEL.version && Date.parse(v.publishedAt) > t) {
    v = (await ledger.get<ModelVersion>(modelVersionKey(v.version - 1))) ?? DEFAULT_MODEL;
  }
  return v;
}

/** An entity's grade now, by the model in force: what a transfer's rules read as payer.creditGrade and payee.creditGrade. */
export async function gradeNow(ledger: Ledger, entityId: string) {
  const [file, model] = [await fileOf(ledger, entityId), await currentModel(ledger)];
  return grade(entityId, file.entries, model, ledger.txTime());
}

const sequence = new WeakMap<Context, number>();

export interface NewEntry {
  readonly kind: CreditEntryKind;
  /** Business time of the decision; the transaction's time when omitted. */
  readonly at?: string;
  readonly summary: string;
  readonly source?: string;
  readonly sanction?: CreditEntry['sanction'];
  readonly late?: CreditEntry['late'];
}

/**
 * Appends a final decision to an entity's file, naming this transaction. A new file's key gets the regulator-only
 * endorsement policy: no member can write its own file alone. Entry ids come from the transaction id and the
 * entry's place in it, so they are unique and the same on every endorsing peer.
 */
export async function appendEntry(ctx: RegchainContext, entityId: string, entry: NewEntry): Promise<CreditEntry> {
  const l = ctx.ledger;
  const seq = (sequence.get(ctx) ?? 0) + 1;
  sequence.set(ctx, seq);
  const before = await l.get<CreditFile>(creditFileKey(entityId));
  const recorded: CreditEntry = {
    entryId: `CE-${l.txId().slice(0, 24)}-${seq}`,
    entityId,
    kind: entry.kind,
    at: entry.at ?? l.txTime(),
    recordedAt: l.txTime(),
    txId: l.txId(),
    summary: entry.summary,
    ...(entry.source ? { source: entry.source } : {}),
    ...(entry.sanction ? { sanction: entry.sanction } : {}),
    ...(entry.late ? { late: entry.late } : {}),
  };
  await l.put(creditFileKey(entityId), { entityId, entries: [...(before?.entries ?? []), recorded] });
  if (!before) await protect(ctx, creditFileKey(entityId));
  ctx.emit({ type: 'CreditEntryRecorded', entityId, entryId: recorded.entryId, kind: recorded.kind });
  return recorded;
}
