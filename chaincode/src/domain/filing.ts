// CAC-style blockchain information service filings: the lifecycle, filing numbers and public fields.
import { createHash } from 'node:crypto';
import { ChaincodeError } from '../errors';
import { chinaDate, type FilingStatus, type Role } from '@regchain/common';
import { regionOf } from './creditcode';

export { APPLICANT_TYPES, APPLICATION_FIELDS, FILING_STATUSES, SERVICE_CATEGORIES, SERVICE_FORMS, type FilingStatus } from '@regchain/common';

export interface Attachment {
  readonly name: string;
  /** SHA-256 of the document, hex: the document itself stays off-chain. */
  readonly sha256: string;
}

export interface Actor {
  readonly role: Role;
  readonly entityId: string;
  readonly mspId: string;
}

export interface Filing {
  readonly filingId: string;
  readonly applicant: { readonly name: string; readonly type: string; readonly creditCode: string };
  readonly service: {
    readonly name: string;
    readonly category: string;
    readonly form: string;
    readonly applicationField: string;
    readonly serverAddresses: readonly string[];
    readonly description: string;
  };
  readonly attachments: readonly Attachment[];
  /** SHA-256 of the person in charge's personal data, which lives only in the private collection. */
  readonly personInChargeHash: string;
  readonly status: FilingStatus;
  readonly filingNumber?: string;
  /** The regulator's last decision note (reason to return or reject, or approval remark). */
  readonly reviewNote?: string;
  readonly revision: number;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly updatedBy: Actor;
  readonly approvedAt?: string;
  readonly lastTxId: string;
}

export type FilingAction = 'startReview' | 'approve' | 'return' | 'reject' | 'amend' | 'deregister';

interface Transition {
  readonly from: readonly FilingStatus[];
  readonly to: FilingStatus;
  readonly by: readonly Role[];
}

/** Every legal move of a filing, and who may make it. Anything else is refused. */
export const TRANSITIONS: Readonly<Record<FilingAction, Transition>> = {
  startReview: { from: ['submitted', 'amended'], to: 'under_review', by: ['regulator'] },
  approve: { from: ['under_review'], to: 'approved', by: ['regulator'] },
  return: { from: ['under_review'], to: 'returned', by: ['regulator'] },
  reject: { from: ['under_review'], to: 'rejected', by: ['regulator'] },
  amend: { from: ['submitted', 'returned', 'approved'], to: 'amended', by: ['enterprise'] },
  deregister: { from: ['submitted', 'approved', 'amended', 'returned'], to: 'deregistered', by: ['enterprise', 'regulator'] },
};

/** The status a filing moves to, or a FILING_TRANSITION_INVALID error naming the move. */
export function nextStatus(current: FilingStatus, action: FilingAction): FilingStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(current)) {
    throw new ChaincodeError('FILING_TRANSITION_INVALID', `a filing that is ${current} cannot be ${pastTense(action)}`, {
      status: current,
      action,
      allowedFrom: t.from,
    });
  }
  return t.to;
}

function pastTense(action: FilingAction): string {
  const words: Record<FilingAction, string> = {
    startReview: 'taken under review',
    approve: 'approved',
    return: 'returned',
    reject: 'rejected',
    amend: 'amended',
    deregister: 'deregistered',
  };
  return words[action];
}

/** A filing's number is current only while the filing stays approved. */
export const isCurrent = (f: Filing): boolean => f.status === 'approved';

/**
 * A CAC-style filing number, "网信备" + region (6) + date (8) + serial (6) + "号". The serial comes from
 * the approving transaction's id, so every peer derives the same number; `attempt` resolves the rare
 * collision deterministically (the caller checks the number index).
 */
export function filingNumber(creditCode: string, seconds: number, txId: string, filingId: string, attempt: number): string {
  const digest = createHash('sha256').update(`${txId}|${filingId}|${attempt}`).digest('hex');
  const serial = String(Number.parseInt(digest.slice(0, 12), 16) % 1_000_000).padStart(6, '0');
  return `网信备${regionOf(creditCode)}${chinaDate(seconds)}${serial}号`;
}

export interface PublicFiling {
  readonly filingNumber: string;
  readonly applicantName: string;
  readonly serviceName: string;
  readonly category: string;
  readonly applicationField: string;
  readonly status: FilingStatus;
  readonly approvedAt?: string;
  /** True while the filing stays approved: the number may be displayed. */
  readonly current: boolean;
}

/** What anyone may see of a filing: no credit code, addresses, attachments or personal data. */
export function publicView(f: Filing): PublicFiling {
  return {
    filingNumber: f.filingNumber ?? '',
    applicantName: f.applicant.name,
    serviceName: f.service.name,
    category: f.service.category,
    applicationField: f.service.applicationField,
    status: f.status,
    ...(f.approvedAt ? { approvedAt: f.approvedAt } : {}),
    current: isCurrent(f),
  };
}

/** Id of a new record derived from its transaction id: unique per transaction, the same on every peer. */
export const idFromTx = (prefix: string, txId: string): string => `${prefix}-${txId.slice(0, 24)}`;
