// @regchain/fabric: Fabric client work in one place, for the gateway, the monitor and the network tooling (Node only).
export * from './blocks';
export * from './bytes';
export * from './connect';
export * from './errors';
export * from './msp';
export * from './profile';
export * from './signing';
