// Credit files and grades: the regulator records sanctions, commendations and late reports and publishes the
// scoring model; filing decisions and confirmed pattern alerts enter files from their own contracts; an entity
// objects to an entry and the regulator upholds or corrects it. Who reads what: the entity its whole file, the
// regulator and auditors every file, members and the public (credit:lookup) the grade and the sanctions in
// publication. Nothing under review is ever in a file: alerts enter only once resolved as real.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import {
  CommendationInput,
  CreditFileInput,
  CreditLookupInput,
  CreditModelInput,
  CreditModelPublishInput,
  CreditStatisticsInput,
  DAY,
  GRADES,
  type Grade,
  isoMillis,
  LateReportInput,
  ObjectionDecisionInput,
  ObjectionInput,
  ObjectionListInput,
  SanctionInput,
} from '@regchain/common';
import {
  asAt,
  checkModel,
  type CreditEntry,
  DEFAULT_MODEL,
  grade,
  lateDayOf,
  lateness,
  lateSummary,
  type ModelVersion,
  modelAt,
  standing,
  withLateTransfers,
} from '../domain/credit';
import { isValidCreditCode } from '../domain/creditcode';
import { ChaincodeError } from '../errors';
import { requireRole } from '../identity';
import { canonical } from '../json';
import type { Ledger } from '../ledger';
import {
  appendEntry,
  type CreditFile,
  creditFileKey,
  creditSourceKey,
  CURRENT_MODEL_KEY,
  currentModel,
  fileOf,
  modelInForce,
  modelVersionKey,
  objectionIndex,
} from '../state/credit';
import { MAX_SKEW_SECONDS, type Transfer, transferKey } from '../state/transfers';
import { parseInput } from '../validation';
import { RegchainContext, RegchainContract } from './base';

const SUPERVISORS = ['regulator', 'auditor'] as const;

/** A decision's business time: a real time, not after the ledger's (beyond clock skew); the ledger's when omitted. */
function decisionTime(l: Ledger, at: string | undefined, field = 'decidedAt'): string {
  if (at === undefined) return l.txTime();
  const millis = isoMillis(at);
  if (millis === undefined) throw new ChaincodeError('VALIDATION_FAILED', `${field} ${at}: not a real time`, { field: `/${field}` });
  if (millis / 1000 > l.txSeconds() + MAX_SKEW_SECONDS) {
    throw new ChaincodeError('VALIDATION_FAILED', `${field} ${at} is after the ledger's time ${l.txTime()}`, { field: `/${field}` });
  }
  return new Date(millis).toISOString();
}

/** A unified social credit code whose check character is right: a file is never opened under a mistyped one. */
function entity(code: string): string {
  if (!isValidCreditCode(code)) throw new ChaincodeError('VALIDATION_FAILED', `entityId ${code} fails its check digit`, { field: '/entityId' });
  return code;
}

async function allVersions(l: Ledger): Promise<ModelVersion[]> {
  return (await l.scan<ModelVersion>('creditmodel', 'v')).map((r) => r.value);
}

@Info({ title: 'credit', description: 'Credit files of final decisions, the published scoring model, grades, objections and public disclosure' })
export class CreditContract extends RegchainContract {
  constructor() {
    super('credit');
  }

  /** Claims a source (a decision number, a transfer) for one entry only. */
  private async claim(ctx: RegchainContext, source: string, what: string): Promise<void> {
    const k = creditSourceKey(source);
    const held = await ctx.ledger.get<{ txId: string }>(k);
    if (held) throw new ChaincodeError('CREDIT_ENTRY_EXISTS', `${what} is already in a credit file`, { source });
    await ctx.ledger.put(k, { txId: ctx.ledger.txId() });
    await this.protect(ctx, k);
  }

  /** Publishes the next version of the scoring model; it grades everyone from this transaction's time on. */
  @Transaction()
  @Returns('string')
  async publishModel(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'publish the credit scoring model');
    const model = parseInput(CreditModelPublishInput, input, 'scoring model');
    checkModel(model);
    const l = ctx.ledger;
    const previous = await currentModel(l);
    const published: ModelVersion = { version: previous.version + 1, model, publishedAt: l.txTime(), lastTxId: l.txId() };
    await l.put(modelVersionKey(published.version), published);
    await l.put(CURRENT_MODEL_KEY, published);
    await this.protect(ctx, modelVersionKey(published.version));
    if (previous.version === DEFAULT_MODEL.version) await this.protect(ctx, CURRENT_MODEL_KEY);
    ctx.emit({ type: 'CreditModelPublished', version: published.version });
    return canonical(published);
  }

  /** The model in force, or one version of it: published like rules, anyone may read it. */
  @Transaction(false)
  @Returns('string')
  async model(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(CreditModelInput, input, 'scoring model query');
    if (req.version === undefined) return canonical(await currentModel(ctx.ledger));
    if (req.version === DEFAULT_MODEL.version) return canonical(DEFAULT_MODEL);
    return canonical(await ctx.ledger.mustGet<ModelVersion>(modelVersionKey(req.version), 'CREDIT_MODEL_NOT_FOUND', `scoring model version ${req.version}`));
  }

  /** An administrative sanction (行政处罚), published for its period and then repaired. One entry per decision number. */
  @Transaction()
  @Returns('string')
  async recordSanction(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'record sanctions');
    const req = parseInput(SanctionInput, input, 'sanction');
    const at = decisionTime(ctx.ledger, req.decidedAt);
    await this.claim(ctx, `sanction~${req.decisionNumber}`, `sanction decision ${req.decisionNumber}`);
    const { legalBasis, decisionNumber, amount, publicationDays } = req;
    const entry = await appendEntry(ctx, entity(req.entityId), {
      kind: 'sanction',
      at,
      summary: req.summary,
      source: decisionNumber,
      sanction: { legalBasis, decisionNumber, amount, publicationDays },
    });
    return canonical(entry);
  }

  @Transaction()
  @Returns('string')
  async recordCommendation(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'record commendations');
    const req = parseInput(CommendationInput, input, 'commendation');
    const entry = await appendEntry(ctx, entity(req.entityId), { kind: 'commendation', at: decisionTime(ctx.ledger, req.decidedAt), summary: req.summary });
    return canonical(entry);
  }

  /**
   * Transfers their reporters recorded later than the model in force then allowed. Each goes into its reporter's
   * late-reporting entry of the China day it was recorded: one entry per reporter and day, however the transfers
   * were batched, ordered or filed. The chaincode checks each lateness from the transfer's own times; a transfer
   * filed before is skipped; one that was not late, or does not exist, refuses the whole call.
   */
  @Transaction()
  @Returns('string')
  async recordLateReports(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'record late reports');
    const req = parseInput(LateReportInput, input, 'late reports');
    const l = ctx.ledger;
    await l.prefetch([...req.transferIds.map(transferKey), ...req.transferIds.map((id) => creditSourceKey(`transfer~${id}`))]);
    const groups = new Map<string, { entityId: string; day: string; at: string; limit: number; ids: string[] }>();
    const already: string[] = [];
    for (const id of req.transferIds) {
      const t = await l.mustGet<Transfer>(transferKey(id), 'TRANSFER_NOT_FOUND', `transfer ${id}`);
      const { model } = await modelInForce(l, t.recordedAt);
      const days = lateness(t);
      if (days <= model.lateReportDays) {
        throw new ChaincodeError(
          'CREDIT_NOT_LATE',
          `transfer ${id} was recorded ${days.toFixed(1)} days after it was executed: within ${model.lateReportDays}`,
          {
            transferId: id,
            lateReportDays: model.lateReportDays,
          },
        );
      }
      if (await l.exists(creditSourceKey(`transfer~${id}`))) {
        already.push(id);
        continue;
      }
      await this.claim(ctx, `transfer~${id}`, `late report of transfer ${id}`);
      const { day, at } = lateDayOf(t.recordedAt);
      const k = `${t.recordedBy.entityId}~${day}`;
      const g = groups.get(k) ?? { entityId: t.recordedBy.entityId, day, at, limit: model.lateReportDays, ids: [] };
      g.ids.push(id);
      groups.set(k, g);
    }
    const entries: string[] = [];
    for (const g of [...groups.values()].sort((a, b) => (a.entityId + a.day < b.entityId + b.day ? -1 : 1))) {
      const file = await fileOf(l, g.entityId);
      const same = file.entries.find((e) => e.kind === 'late_report' && e.late?.day === g.day);
      const late = withLateTransfers(same?.late, g.day, g.ids);
      if (same) {
        await this.replace(ctx, file, { ...same, summary: lateSummary(late, g.limit), late });
        entries.push(same.entryId);
      } else {
        const e = await appendEntry(ctx, g.entityId, { kind: 'late_report', at: g.at, summary: lateSummary(late, g.limit), source: `late:${g.day}`, late });
        entries.push(e.entryId);
      }
    }
    return canonical({ filed: [...groups.values()].flatMap((g) => g.ids), already, entries });
  }

  /** The entity objects (异议) to an entry in its own file; the entry counts as it is until the regulator decides. */
  @Transaction()
  @Returns('string')
  async object(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['enterprise', 'bank'], 'object to credit entries');
    const req = parseInput(ObjectionInput, input, 'objection');
    const l = ctx.ledger;
    const entityId = ctx.caller.entityId;
    const file = await fileOf(l, entityId);
    const entry = file.entries.find((e) => e.entryId === req.entryId);
    // Another entity's entry answers as a missing one.
    if (!entry) throw new ChaincodeError('CREDIT_ENTRY_NOT_FOUND', `entry ${req.entryId} does not exist`);
    if (entry.objection) {
      throw new ChaincodeError('OBJECTION_TRANSITION_INVALID', `entry ${req.entryId} already has an objection, ${entry.objection.status}`, {
        status: entry.objection.status,
      });
    }
    const after: CreditEntry = { ...entry, objection: { note: req.note, raisedAt: l.txTime(), txId: l.txId(), status: 'open' } };
    await this.replace(ctx, file, after);
    await l.put(objectionIndex('open', entityId, entry.entryId), { entityId, entryId: entry.entryId });
    ctx.emit({ type: 'CreditObjectionRaised', entityId, entryId: entry.entryId });
    return canonical(after);
  }

  /** The regulator upholds an entry under objection, or corrects what it counts as (to another kind, or to nothing). */
  @Transaction()
  @Returns('string')
  async decideObjection(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'decide objections');
    const req = parseInput(ObjectionDecisionInput, input, 'objection decision');
    const l = ctx.ledger;
    const file = await fileOf(l, req.entityId);
    const entry = file.entries.find((e) => e.entryId === req.entryId);
    if (!entry) throw new ChaincodeError('CREDIT_ENTRY_NOT_FOUND', `entry ${req.entryId} of ${req.entityId} does not exist`);
    const objection = entry.objection;
    if (objection?.status !== 'open') {
      throw new ChaincodeError('OBJECTION_TRANSITION_INVALID', `entry ${req.entryId} has no open objection`, { status: objection?.status ?? 'none' });
    }
    if (req.decision === 'correct' && (!req.correctedKind || req.correctedKind === entry.kind)) {
      throw new ChaincodeError('VALIDATION_FAILED', 'a correction names what the entry counts as instead (another kind, or void)', { field: '/correctedKind' });
    }
    if (req.decision === 'uphold' && req.correctedKind) {
      throw new ChaincodeError('VALIDATION_FAILED', 'an upheld entry is not corrected', { field: '/correctedKind' });
    }
    const status = req.decision === 'uphold' ? 'upheld' : 'corrected';
    const decision = { note: req.note, at: l.txTime(), txId: l.txId(), ...(req.correctedKind ? { correctedKind: req.correctedKind } : {}) };
    const after: CreditEntry = { ...entry, objection: { ...objection, status, decision } };
    await this.replace(ctx, file, after);
    await l.del(objectionIndex('open', req.entityId, entry.entryId));
    await l.put(objectionIndex(status, req.entityId, entry.entryId), { entityId: req.entityId, entryId: entry.entryId });
    ctx.emit({ type: 'CreditObjectionDecided', entityId: req.entityId, entryId: entry.entryId, status });
    return canonical(after);
  }

  private async replace(ctx: RegchainContext, file: CreditFile, entry: CreditEntry): Promise<void> {
    await ctx.ledger.put(creditFileKey(file.entityId), { ...file, entries: file.entries.map((e) => (e.entryId === entry.entryId ? entry : e)) });
  }

  /**
   * An entity's whole file with its score, grade and every contribution, now or at a past moment (the file as it
   * was then, graded by the model in force then). The entity reads its own; the regulator and auditors any.
   */
  @Transaction(false)
  @Returns('string')
  async file(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'enterprise', 'bank'], 'read credit files');
    const req = parseInput(CreditFileInput, input, 'credit file query');
    const c = ctx.caller;
    if ((c.role === 'enterprise' || c.role === 'bank') && c.entityId !== req.entityId) {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `${c.role} ${c.entityId} may read only its own credit file; another entity's standing is public (credit:lookup)`,
        {
          role: c.role,
        },
      );
    }
    const l = ctx.ledger;
    const at = req.at ? decisionTime(l, req.at, 'at') : l.txTime();
    const file = await fileOf(l, entity(req.entityId));
    const mv = modelAt(await allVersions(l), at);
    const seconds = Date.parse(at) / 1000;
    const entries = file.entries.filter((e) => Date.parse(e.recordedAt) / 1000 <= seconds).map((e) => asAt(e, seconds));
    return canonical({ entityId: req.entityId, grade: grade(req.entityId, file.entries, mv, at), entries });
  }

  /** What anyone may know of an entity's credit: its grade and its sanctions in publication. The public lookup. */
  @Transaction(false)
  @Returns('string')
  async lookup(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(CreditLookupInput, input, 'credit lookup');
    const l = ctx.ledger;
    const file = await fileOf(l, entity(req.entityId));
    return canonical(standing(req.entityId, file.entries, await currentModel(l), l.txTime()));
  }

  /** Entries under objection (open by default), for the regulator's review. */
  @Transaction(false)
  @Returns('string')
  async objections(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, SUPERVISORS, 'review objections');
    const req = parseInput(ObjectionListInput, input, 'objection list');
    const l = ctx.ledger;
    const out: { entityId: string; entry: CreditEntry }[] = [];
    for (const { value } of await l.scan<{ entityId: string; entryId: string }>('creditobjidx', req.status ?? 'open')) {
      const entry = (await fileOf(l, value.entityId)).entries.find((e) => e.entryId === value.entryId);
      if (entry) out.push({ entityId: value.entityId, entry });
    }
    return canonical(out);
  }

  /** How many entities held each grade at evenly spaced moments, each graded by the model in force then. */
  @Transaction(false)
  @Returns('string')
  async statistics(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, SUPERVISORS, 'read credit statistics');
    const req = parseInput(CreditStatisticsInput, input, 'credit statistics');
    const l = ctx.ledger;
    const to = Date.parse(req.to ? decisionTime(l, req.to, 'to') : l.txTime());
    const from = req.from ? Date.parse(req.from) : to - 365 * DAY * 1000;
    if (!(from <= to)) throw new ChaincodeError('VALIDATION_FAILED', 'from must not be after to', { field: '/from' });
    const points = req.points ?? 12;
    const files = (await l.scan<CreditFile>('creditfile')).map((r) => r.value);
    const versions = await allVersions(l);
    const series = Array.from({ length: points }, (_, i) => {
      const at = new Date(points === 1 ? to : from + Math.round(((to - from) * i) / (points - 1))).toISOString();
      const mv = modelAt(versions, at);
      const grades = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
      for (const f of files) grades[grade(f.entityId, f.entries, mv, at).grade] += 1;
      return { at, modelVersion: mv.version, grades };
    });
    return canonical({ entities: files.length, series });
  }
}
