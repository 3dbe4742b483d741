// The event types the live monitor shows.
export const WATCHED = [
  'TransferRecorded',
  'RuleFired',
  'AlertRaised',
  'AlertAcknowledged',
  'AlertResolved',
  'AlertMarkedFalsePositive',
  'FilingSubmitted',
  'FilingApproved',
];
