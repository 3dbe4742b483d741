// The one chaincode event name: Fabric delivers one event per transaction, so everything a transaction did is batched under it.
export const EVENT_NAME = 'regchain';
