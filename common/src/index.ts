// @regchain/common: what every part agrees on, safe in a browser: roles, error codes, event names, transaction
// schemas, records, vocabulary, typologies and the trace walk. Node-only helpers are in @regchain/common/node.
export * from './async';
export * from './credit';
export * from './errors';
export * from './events';
export * from './records';
export * from './roles';
export * from './schemas';
export * from './time';
export * from './trace';
export * from './transactions';
export * from './typologies';
export * from './vocabulary';
