// The channel and the chaincode, and their events: Fabric delivers one event per transaction, so everything a
// transaction did is batched under one name.

export const CHANNEL = 'supervision';
export const CHAINCODE_NAME = 'regchain';
export const EVENT_NAME = 'regchain';

export const EVENT_TYPES = [
  'FilingSubmitted',
  'FilingAmended',
  'FilingReviewStarted',
  'FilingApproved',
  'FilingReturned',
  'FilingRejected',
  'FilingDeregistered',
  'RulePublished',
  'RuleDeactivated',
  'WatchlistEntryAdded',
  'WatchlistEntryRemoved',
  'AccountOpened',
  'ProjectCreated',
  'TransferRecorded',
  'TransferSettingsChanged',
  'TypologiesPublished',
  'RuleFired',
  'RuleFailed',
  'AlertRaised',
  'AlertAcknowledged',
  'AlertResolved',
  'AlertMarkedFalsePositive',
  'ProbeRecorded',
  'CreditEntryRecorded',
  'CreditModelPublished',
  'CreditObjectionRaised',
  'CreditObjectionDecided',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A thing a transaction did, for monitoring. */
export interface DomainEvent {
  readonly type: EventType;
  readonly [field: string]: unknown;
}

/** The payload of the one chaincode event a transaction sets. */
export interface EventBatch {
  readonly txId: string;
  readonly events: readonly DomainEvent[];
}
