// The credit file and its grade, as public credit systems in China keep them: an append-only file of final
// decisions per entity, a published scoring model that deducts from 100 (tax credit's A ≥ 90, B 70–89, M new,
// C 40–69, D < 40), entries that stop counting after their period (a sanction past its publication period is
// repaired and leaves public view), and objections the regulator upholds or corrects. Plain functions: the
// contract stores and reads, this decides.

import {
  CHINA_OFFSET,
  chinaDate,
  type ContributionCause,
  type CreditEntryKind,
  DAY,
  DEFAULT_CREDIT_MODEL,
  type Grade,
  type ObjectionStatus,
  type ScoringModel,
} from '@regchain/common';
import { ChaincodeError } from '../errors';

export interface Sanction {
  /** The law and article the penalty rests on. */
  readonly legalBasis: string;
  /** The administrative decision's number (行政处罚决定书文号). */
  readonly decisionNumber: string;
  /** Fine in minor units (fen); 0 for a warning. */
  readonly amount: number;
  /** Days the sanction is published and counts, from its decision; after them it is repaired. */
  readonly publicationDays: number;
}

export interface Objection {
  readonly note: string;
  readonly raisedAt: string;
  readonly txId: string;
  /** open until the regulator decides: upheld keeps the entry, corrected replaces what it counts as. */
  readonly status: ObjectionStatus;
  readonly decision?: { readonly note: string; readonly at: string; readonly txId: string; readonly correctedKind?: CreditEntryKind | 'void' };
}

export interface CreditEntry {
  readonly entryId: string;
  readonly entityId: string;
  readonly kind: CreditEntryKind;
  /** Business time of the decision it records (ISO, UTC): periods count from it. */
  readonly at: string;
  /** When the ledger recorded it: a grade at an earlier moment does not know it. */
  readonly recordedAt: string;
  /** The transaction that caused it (the filing decision, the sanction, the alert's resolution...). */
  readonly txId: string;
  readonly summary: string;
  /** What it came from: a filing id, an alert id, a transfer id. */
  readonly source?: string;
  readonly sanction?: Sanction;
  /** A late-reporting entry: one per reporter and China day, however the transfers were batched or filed. */
  readonly late?: { readonly day: string; readonly count: number; readonly transferIds: readonly string[] };
  readonly objection?: Objection;
}

/** A published version of the model and when it took effect. */
export interface ModelVersion {
  readonly version: number;
  readonly model: ScoringModel;
  readonly publishedAt: string;
  readonly lastTxId: string;
}

/** The built-in default: version 1, in force from the beginning until the regulator publishes another. */
export const DEFAULT_MODEL: ModelVersion = { version: 1, model: DEFAULT_CREDIT_MODEL, publishedAt: '1970-01-01T00:00:00Z', lastTxId: '' };

/** A model the regulator may publish: bands strictly falling and within the base (the schema checked the rest). */
export function checkModel(model: ScoringModel): void {
  const [a, b, c] = model.bands;
  if (a?.grade !== 'A' || b?.grade !== 'B' || c?.grade !== 'C') {
    throw new ChaincodeError('CREDIT_MODEL_INVALID', 'bands must be A, B and C, in that order', { field: '/bands' });
  }
  if (!(a.min <= model.base && a.min > b.min && b.min > c.min)) {
    throw new ChaincodeError('CREDIT_MODEL_INVALID', `band minimums must fall from A to C and A's must not exceed the base ${model.base}`, {
      field: '/bands',
    });
  }
  if (model.severePoints > model.rules.sanction.points) {
    throw new ChaincodeError('CREDIT_MODEL_INVALID', 'a severe sanction must not cost less than an ordinary one', { field: '/severePoints' });
  }
}

export interface Contribution {
  readonly entryId: string;
  readonly kind: CreditEntryKind | 'void';
  readonly points: number;
  /** Why it counts as it does, or why it does not count now: a code, and the same in English. */
  readonly cause: ContributionCause;
  readonly reason: string;
  readonly counts: boolean;
}

export interface CreditGrade {
  readonly entityId: string;
  readonly score: number;
  readonly grade: Grade;
  readonly modelVersion: number;
  /** Business time the grade is for. */
  readonly at: string;
  /** Every entry's part in the score, in the file's order: the arithmetic shown. */
  readonly contributions: readonly Contribution[];
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * An entry as the file held it at a moment: an objection raised later is not there yet, a decision taken later
 * is still pending. So a past grade stays what it was when it was given.
 */
export function asAt(entry: CreditEntry, now: number): CreditEntry {
  const o = entry.objection;
  if (!o) return entry;
  if (seconds(o.raisedAt) > now) {
    const { objection: _dropped, ...rest } = entry;
    return rest;
  }
  if (o.decision && seconds(o.decision.at) > now) {
    const { decision: _pending, ...open } = o;
    return { ...entry, objection: { ...open, status: 'open' } };
  }
  return entry;
}

/** What an entry counts as: its own kind, or the regulator's correction of it after an objection. */
export function effectiveKind(entry: CreditEntry): CreditEntryKind | 'void' {
  const o = entry.objection;
  if (o?.status === 'corrected' && o.decision?.correctedKind) return o.decision.correctedKind;
  return entry.kind;
}

/** The moment (seconds) from which an entry no longer counts (a sanction: its publication period, then it is repaired). */
export function countsUntil(entry: CreditEntry, model: ScoringModel): number {
  const kind = effectiveKind(entry);
  if (kind === 'void') return seconds(entry.at);
  const days = kind === 'sanction' && entry.sanction ? entry.sanction.publicationDays : model.rules[kind].countsDays;
  return seconds(entry.at) + days * DAY;
}

/** Whether a sanction is in its publication period at a moment: what members and the public see. */
export function inPublication(entry: CreditEntry, model: ScoringModel, at: string): boolean {
  const now = seconds(at);
  const e = asAt(entry, now);
  return seconds(e.recordedAt) <= now && effectiveKind(e) === 'sanction' && seconds(e.at) <= now && now < countsUntil(e, model);
}

function pointsOf(entry: CreditEntry, kind: CreditEntryKind, model: ScoringModel): number {
  if (kind === 'sanction' && entry.sanction && entry.sanction.amount >= model.severeSanctionAmount) return model.severePoints;
  return model.rules[kind].points;
}

/** The file's order: business time, then entry id; the same file in any order gives the same arithmetic. */
export const fileOrder = (a: CreditEntry, b: CreditEntry): number =>
  seconds(a.at) - seconds(b.at) || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0);

/**
 * The score and grade of an entity at a moment, from its file and the model in force then, deterministically:
 * base plus each entry that counts then (recorded by then, decided by then, within its period, not voided by a
 * correction), each kind within its cap; clamped to 0..base. M when the file holds nothing yet (a new entity).
 */
export function grade(entityId: string, file: readonly CreditEntry[], mv: ModelVersion, at: string): CreditGrade {
  const { model } = mv;
  const now = seconds(at);
  const entries = file
    .filter((e) => e.entityId === entityId && seconds(e.recordedAt) <= now && seconds(e.at) <= now)
    .map((e) => asAt(e, now))
    .sort(fileOrder);
  const used = new Map<CreditEntryKind, number>();
  const contributions: Contribution[] = [];
  let total = model.base;
  for (const entry of entries) {
    const kind = effectiveKind(entry);
    if (kind === 'void') {
      contributions.push({ entryId: entry.entryId, kind, points: 0, counts: false, cause: 'voided', reason: 'corrected to no entry after an objection' });
      continue;
    }
    if (now >= countsUntil(entry, model)) {
      const repaired = kind === 'sanction';
      const reason = repaired ? 'publication period over: repaired' : `counted for ${model.rules[kind].countsDays} days`;
      contributions.push({ entryId: entry.entryId, kind, points: 0, counts: false, cause: repaired ? 'repaired' : 'period_over', reason });
      continue;
    }
    let points = pointsOf(entry, kind, model);
    const cap = model.rules[kind].capPoints;
    if (cap) {
      const sofar = used.get(kind) ?? 0;
      const room = cap - Math.abs(sofar);
      const allowed = Math.sign(points) * Math.min(Math.abs(points), Math.max(0, room));
      used.set(kind, sofar + allowed);
      points = allowed;
    }
    total += points;
    const [cause, reason]: [ContributionCause, string] =
      kind === 'sanction' && entry.sanction && entry.sanction.amount >= model.severeSanctionAmount
        ? ['severe_fine', `fine of at least ${model.severeSanctionAmount / 100} yuan`]
        : points === 0 && model.rules[kind].points !== 0
          ? ['cap_reached', `cap of ${cap} points reached`]
          : entry.objection?.status === 'open'
            ? ['objection_open', 'counts while the objection is open']
            : entry.objection?.status === 'corrected'
              ? ['corrected', `counted as ${kind} after the objection`]
              : ['in_force', 'in force'];
    contributions.push({ entryId: entry.entryId, kind, points: points === 0 ? 0 : points, counts: true, cause, reason });
  }
  const score = Math.max(0, Math.min(model.base, total));
  // New (M): nothing in the file by then but entries corrected away. A repaired sanction is history, not newness.
  const known = contributions.some((c) => c.kind !== 'void');
  return { entityId, score, grade: known ? bandOf(score, model) : 'M', modelVersion: mv.version, at, contributions };
}

export function bandOf(score: number, model: ScoringModel): Grade {
  for (const band of model.bands) if (score >= band.min) return band.grade;
  return 'D';
}

/** The version in force at a moment: the last published by then (the default before any). */
export function modelAt(versions: readonly ModelVersion[], at: string): ModelVersion {
  const now = seconds(at);
  let found = DEFAULT_MODEL;
  for (const v of versions) if (seconds(v.publishedAt) <= now && v.version > found.version) found = v;
  return found;
}

/** What a partner and the public see of a file at a moment: the grade and the sanctions in publication. */
export function standing(entityId: string, file: readonly CreditEntry[], mv: ModelVersion, at: string) {
  const g = grade(entityId, file, mv, at);
  const sanctions = file
    .filter((e) => e.sanction && inPublication(e, mv.model, at))
    .sort(fileOrder)
    .map((e) => {
      const s = e.sanction as Sanction;
      return {
        decisionNumber: s.decisionNumber,
        legalBasis: s.legalBasis,
        amount: s.amount,
        decidedAt: e.at,
        publishedUntil: new Date(countsUntil(asAt(e, seconds(at)), mv.model) * 1000).toISOString(),
        summary: e.summary,
      };
    });
  return { entityId, grade: g.grade, modelVersion: g.modelVersion, at, sanctions };
}

/** How many days after it was executed a transfer was recorded. */
export const lateness = (t: { readonly executedAt: string; readonly recordedAt: string }): number =>
  (Date.parse(t.recordedAt) - Date.parse(t.executedAt)) / 1000 / DAY;

/**
 * The late-reporting entry a transfer recorded at `recordedAt` belongs to: its reporter's China day, dated at
 * the day's start, so neither which transfer came first nor how they were batched moves it.
 */
export function lateDayOf(recordedAt: string): { readonly day: string; readonly at: string } {
  const seconds = Math.floor(Date.parse(recordedAt) / 1000);
  const start = Math.floor((seconds + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;
  return { day: chinaDate(seconds), at: new Date(start * 1000).toISOString() };
}

/** A day's late reporting with more transfers in it: the count, and the first 50 ids in id order (whatever the filing order). */
export function withLateTransfers(late: CreditEntry['late'] | undefined, day: string, transferIds: readonly string[]): NonNullable<CreditEntry['late']> {
  const ids = [...new Set([...(late?.transferIds ?? []), ...transferIds])].sort();
  return { day, count: (late?.count ?? 0) + transferIds.length, transferIds: ids.slice(0, 50) };
}

export const lateSummary = (late: NonNullable<CreditEntry['late']>, limitDays: number): string =>
  `${late.count} transfer(s) recorded on ${late.day} more than ${limitDays} days after they were executed`;
