// Filings: enterprises submit and amend, the regulator reviews and numbers, anyone verifies a number.
import { createHash } from 'node:crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { isValidCreditCode } from '../domain/creditcode';
import { type Filing, type FilingAction, filingNumber, idFromTx, nextStatus, publicView, TRANSITIONS } from '../domain/filing';
import { ChaincodeError } from '../errors';
import { requireOwnEntity, requireRole } from '../identity';
import { canonical, fromBytes } from '../json';
import type { Page } from '../ledger';
import {
  type CreditEntryKind,
  FilingAmendInput,
  FilingDecisionInput,
  FilingIdInput,
  FilingListInput,
  FilingNumberInput,
  FilingReasonInput,
  FilingSubmitInput,
  PersonInCharge,
} from '@regchain/common';
import { parseInput, validate } from '../validation';
import { CLOSED, entityIndex, filingKey, numberKey, PERSON_IN_CHARGE_TRANSIENT, PERSONAL_DATA_COLLECTION, serviceKey, statusIndex } from '../state/filings';
import { appendEntry } from '../state/credit';
import { RegchainContext, RegchainContract } from './base';

/** The credit file entry each final filing decision makes. */
const CREDIT_KIND: Partial<Record<FilingAction, CreditEntryKind>> = {
  approve: 'filing_approved',
  return: 'filing_returned',
  reject: 'filing_rejected',
  deregister: 'filing_deregistered',
};

export const personHash = (p: PersonInCharge): string => createHash('sha256').update(canonical(p)).digest('hex');

@Info({ title: 'filing', description: 'CAC-style blockchain information service filings' })
export class FilingContract extends RegchainContract {
  constructor() {
    super('filing');
  }

  private personFromTransient(ctx: RegchainContext, required: boolean): PersonInCharge | undefined {
    const raw = ctx.stub.getTransient().get(PERSON_IN_CHARGE_TRANSIENT);
    if (!raw || raw.length === 0) {
      if (required) {
        throw new ChaincodeError('PERSONAL_DATA_MISSING', `the person in charge must be passed in the transient map under "${PERSON_IN_CHARGE_TRANSIENT}"`);
      }
      return undefined;
    }
    let value: unknown;
    try {
      value = fromBytes(raw);
    } catch {
      throw new ChaincodeError('VALIDATION_FAILED', 'personInCharge: transient value is not valid JSON');
    }
    return validate(PersonInCharge, value, 'personInCharge');
  }

  /** A filing the caller may see: an enterprise's other than its own answers as a missing one. */
  private async load(ctx: RegchainContext, filingId: string): Promise<Filing> {
    return ctx.ledger.mustSee<Filing>(
      filingKey(filingId),
      'FILING_NOT_FOUND',
      `filing ${filingId}`,
      (f) => ctx.caller.role !== 'enterprise' || f.applicant.creditCode === ctx.caller.entityId,
    );
  }

  private async save(ctx: RegchainContext, before: Filing | undefined, after: Filing): Promise<void> {
    const l = ctx.ledger;
    await l.put(filingKey(after.filingId), after);
    if (before && before.status !== after.status) await l.del(statusIndex(before.status, after.filingId));
    await l.put(statusIndex(after.status, after.filingId), { filingId: after.filingId });
    await l.put(entityIndex(after.applicant.creditCode, after.filingId), { filingId: after.filingId, status: after.status });
    if (!before) await this.protect(ctx, filingKey(after.filingId));
  }

  @Transaction()
  @Returns('string')
  async submit(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['enterprise'], 'submit filings');
    const req = parseInput(FilingSubmitInput, input, 'filing');
    if (!isValidCreditCode(req.applicant.creditCode)) {
      throw new ChaincodeError('VALIDATION_FAILED', `filing: applicant.creditCode ${req.applicant.creditCode} fails its check digit`, {
        field: '/applicant/creditCode',
      });
    }
    requireOwnEntity(ctx.caller, req.applicant.creditCode, 'submit a filing');
    const person = this.personFromTransient(ctx, true) as PersonInCharge;
    const svc = serviceKey(req.applicant.creditCode, req.service.name);
    const holder = await ctx.ledger.get<{ filingId: string }>(svc);
    if (holder) {
      throw new ChaincodeError('FILING_EXISTS', `service "${req.service.name}" already has filing ${holder.filingId}`, { filingId: holder.filingId });
    }
    const l = ctx.ledger;
    const filingId = idFromTx('FIL', l.txId());
    const now = l.txTime();
    const filing: Filing = {
      filingId,
      applicant: req.applicant,
      service: req.service,
      attachments: req.attachments,
      personInChargeHash: personHash(person),
      status: 'submitted',
      revision: 1,
      submittedAt: now,
      updatedAt: now,
      updatedBy: ctx.actor,
      lastTxId: l.txId(),
    };
    await ctx.stub.putPrivateData(PERSONAL_DATA_COLLECTION, filingId, Buffer.from(canonical(person)));
    await this.save(ctx, undefined, filing);
    await l.put(svc, { filingId });
    ctx.emit({
      type: 'FilingSubmitted',
      filingId,
      entityId: filing.applicant.creditCode,
      serviceName: filing.service.name,
      category: filing.service.category,
      status: filing.status,
    });
    return canonical(filing);
  }

  @Transaction()
  @Returns('string')
  async amend(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['enterprise'], 'amend filings');
    const req = parseInput(FilingAmendInput, input, 'filing amendment');
    const before = await this.load(ctx, req.filingId);
    const status = nextStatus(before.status, 'amend');
    const l = ctx.ledger;
    if (req.service.name !== before.service.name) {
      const svc = serviceKey(before.applicant.creditCode, req.service.name);
      const holder = await l.get<{ filingId: string }>(svc);
      if (holder) throw new ChaincodeError('FILING_EXISTS', `service "${req.service.name}" already has filing ${holder.filingId}`);
      await l.del(serviceKey(before.applicant.creditCode, before.service.name));
      await l.put(svc, { filingId: before.filingId });
    }
    const person = this.personFromTransient(ctx, false);
    if (person) await ctx.stub.putPrivateData(PERSONAL_DATA_COLLECTION, before.filingId, Buffer.from(canonical(person)));
    const after: Filing = {
      ...before,
      service: req.service,
      attachments: req.attachments,
      personInChargeHash: person ? personHash(person) : before.personInChargeHash,
      status,
      revision: before.revision + 1,
      updatedAt: l.txTime(),
      updatedBy: ctx.actor,
      lastTxId: l.txId(),
    };
    await this.save(ctx, before, after);
    ctx.emit({
      type: 'FilingAmended',
      filingId: after.filingId,
      entityId: after.applicant.creditCode,
      revision: after.revision,
      category: after.service.category,
      status: after.status,
    });
    return canonical(after);
  }

  private async decide(ctx: RegchainContext, action: FilingAction, filingId: string, note: string): Promise<Filing> {
    requireRole(ctx.caller, TRANSITIONS[action].by, `${action} filings`);
    const before = await this.load(ctx, filingId);
    const status = nextStatus(before.status, action);
    const l = ctx.ledger;
    let number = before.filingNumber;
    if (action === 'approve' && !number) {
      for (let attempt = 0; !number; attempt += 1) {
        const candidate = filingNumber(before.applicant.creditCode, l.txSeconds(), l.txId(), filingId, attempt);
        if (!(await l.exists(numberKey(candidate)))) number = candidate;
      }
      await l.put(numberKey(number), { filingId });
    }
    const after: Filing = {
      ...before,
      status,
      ...(number ? { filingNumber: number } : {}),
      ...(action === 'approve' ? { approvedAt: l.txTime() } : {}),
      ...(note ? { reviewNote: note } : {}),
      updatedAt: l.txTime(),
      updatedBy: ctx.actor,
      lastTxId: l.txId(),
    };
    await this.save(ctx, before, after);
    if (CLOSED.includes(status)) await l.del(serviceKey(before.applicant.creditCode, before.service.name));
    // A final decision enters the applicant's credit file; starting a review decides nothing.
    const credit = CREDIT_KIND[action];
    if (credit) {
      await appendEntry(ctx, before.applicant.creditCode, {
        kind: credit,
        summary: `${before.service.name}${number && action === 'approve' ? ` (${number})` : ''}${note ? `: ${note}` : ''}`,
        source: filingId,
      });
    }
    const type = (
      {
        startReview: 'FilingReviewStarted',
        approve: 'FilingApproved',
        return: 'FilingReturned',
        reject: 'FilingRejected',
        amend: 'FilingAmended',
        deregister: 'FilingDeregistered',
      } as const
    )[action];
    ctx.emit({ type, filingId, entityId: before.applicant.creditCode, status, ...(number && action === 'approve' ? { filingNumber: number } : {}) });
    return after;
  }

  @Transaction()
  @Returns('string')
  async startReview(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingDecisionInput, input, 'review');
    return canonical(await this.decide(ctx, 'startReview', req.filingId, req.note));
  }

  @Transaction()
  @Returns('string')
  async approve(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingDecisionInput, input, 'approval');
    return canonical(await this.decide(ctx, 'approve', req.filingId, req.note));
  }

  @Transaction()
  @Returns('string')
  async returnForCorrection(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingReasonInput, input, 'return');
    return canonical(await this.decide(ctx, 'return', req.filingId, req.note));
  }

  @Transaction()
  @Returns('string')
  async reject(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingReasonInput, input, 'rejection');
    return canonical(await this.decide(ctx, 'reject', req.filingId, req.note));
  }

  @Transaction()
  @Returns('string')
  async deregister(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingReasonInput, input, 'deregistration');
    return canonical(await this.decide(ctx, 'deregister', req.filingId, req.note));
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'enterprise'], 'read filings');
    const req = parseInput(FilingIdInput, input, 'filing query');
    return canonical(await this.load(ctx, req.filingId));
  }

  @Transaction(false)
  @Returns('string')
  async list(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'enterprise'], 'list filings');
    const req = parseInput(FilingListInput, input, 'filing list');
    // An enterprise lists its own filings; naming another entity lists nothing, as for an entity with none.
    if (ctx.caller.role === 'enterprise' && req.entityId && req.entityId !== ctx.caller.entityId) return canonical({ items: [], bookmark: '' });
    const entityId = ctx.caller.role === 'enterprise' ? ctx.caller.entityId : req.entityId;
    const l = ctx.ledger;
    const size = req.pageSize ?? 50;
    const bookmark = req.bookmark ?? '';
    let page: Page<{ filingId: string }>;
    if (entityId) page = await l.page(['filingidx', 'entity', entityId], size, bookmark);
    else if (req.status) page = await l.page(['filingidx', 'status', req.status], size, bookmark);
    else page = await l.page(['filing'], size, bookmark);
    const filings: Filing[] = [];
    for (const item of page.items) {
      const filing = 'applicant' in item ? (item as unknown as Filing) : await l.get<Filing>(filingKey(item.filingId));
      if (!filing) continue;
      if (req.status && filing.status !== req.status) continue;
      if (req.category && filing.service.category !== req.category) continue;
      filings.push(filing);
    }
    return canonical({ items: filings, bookmark: page.bookmark });
  }

  @Transaction(false)
  @Returns('string')
  async history(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'enterprise'], 'read filing history');
    const req = parseInput(FilingIdInput, input, 'filing history');
    await this.load(ctx, req.filingId);
    const entries = (await ctx.ledger.history<Filing>(filingKey(req.filingId))).map(({ txId, time, value }) => ({
      txId,
      time,
      status: value?.status,
      by: value?.updatedBy,
      revision: value?.revision,
      note: value?.reviewNote,
      filing: value,
    }));
    return canonical(entries);
  }

  /** Public verification of a filing number: only public fields, and whether it is current. */
  @Transaction(false)
  @Returns('string')
  async lookup(ctx: RegchainContext, input: string): Promise<string> {
    const req = parseInput(FilingNumberInput, input, 'filing number lookup');
    const ref = await ctx.ledger.get<{ filingId: string }>(numberKey(req.filingNumber));
    if (!ref) throw new ChaincodeError('FILING_NUMBER_NOT_FOUND', `no filing has number ${req.filingNumber}`);
    // Public fields of anyone's filing: not the caller's own view.
    const filing = await ctx.ledger.mustGet<Filing>(filingKey(ref.filingId), 'FILING_NOT_FOUND', `filing ${ref.filingId}`);
    return canonical(publicView(filing));
  }

  /** The person in charge, from private data, checked against the hash on the channel. */
  @Transaction(false)
  @Returns('string')
  async getPersonInCharge(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'enterprise'], 'read personal data of filings');
    const req = parseInput(FilingIdInput, input, 'personal data query');
    const filing = await this.load(ctx, req.filingId);
    const bytes = await ctx.stub.getPrivateData(PERSONAL_DATA_COLLECTION, req.filingId);
    if (!bytes || bytes.length === 0) throw new ChaincodeError('PERSONAL_DATA_MISSING', `this peer holds no personal data for filing ${req.filingId}`);
    const person = fromBytes<PersonInCharge>(bytes);
    return canonical({ personInCharge: person, hashMatches: personHash(person) === filing.personInChargeHash });
  }
}
