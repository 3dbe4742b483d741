// @regchain/common/node: the shared helpers that need Node: the state folder's layout, owner secrets, settings.
export * from './csv';
export * from './database';
export * from './layout';
export * from './secrets';
export * from './settings';
