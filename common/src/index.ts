// @regchain/common: what the chaincode, the gateway and the network tooling agree on.
export * from './async';
export * from './errors';
export * from './events';
export * from './records';
export * from './layout';
export * from './roles';
export * from './schemas';
export * from './secrets';
export * from './settings';
export * from './transactions';
export * from './typologies';
export * from './vocabulary';
