// Chaincode entry point: the contracts fabric-chaincode-node serves.
import { SystemContract } from './contracts/system';

export const contracts: (typeof SystemContract)[] = [SystemContract];
