// Filings' keys and indexes: by id, status, entity, filing number and service name; the status rules read.
import { createHash } from 'node:crypto';
import type { FilingStatus } from '@regchain/common';
import { key, type Ledger } from '../ledger';

/** Private data collection shared only by the enterprises' org and the regulator. */
export const PERSONAL_DATA_COLLECTION = 'filingPersonalData';
/** Transient-map key carrying the person in charge's personal data. */
export const PERSON_IN_CHARGE_TRANSIENT = 'personInCharge';

export const filingKey = (id: string): string => key('filing', id);
export const statusIndex = (status: FilingStatus, id: string): string => key('filingidx', 'status', status, id);
export const entityIndex = (entity: string, id: string): string => key('filingidx', 'entity', entity, id);
export const numberKey = (n: string): string => key('filingnum', n);
export const serviceKey = (entity: string, serviceName: string): string =>
  key('filingsvc', entity, createHash('sha256').update(serviceName).digest('hex').slice(0, 32));

/** Statuses after which a filing no longer holds its service name. */
export const CLOSED: readonly FilingStatus[] = ['rejected', 'deregistered'];

export interface EntityIndexEntry {
  readonly filingId: string;
  readonly status: FilingStatus;
}

/** The best filing status an entity holds ("approved" first), or "none": a fact for compliance rules. */
export async function entityFilingStatus(ledger: Ledger, entityId: string): Promise<string> {
  const entries = await ledger.scan<EntityIndexEntry>('filingidx', 'entity', entityId);
  const order: readonly FilingStatus[] = ['approved', 'amended', 'under_review', 'submitted', 'returned', 'rejected', 'deregistered'];
  let best = 'none';
  let bestRank = order.length;
  for (const { value } of entries) {
    const rank = order.indexOf(value.status);
    if (rank >= 0 && rank < bestRank) {
      best = value.status;
      bestRank = rank;
    }
  }
  return best;
}
