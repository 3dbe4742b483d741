// Chaincode entry point: the contracts fabric-chaincode-node serves.
import { AlertContract } from './contracts/alert';
import { FilingContract } from './contracts/filing';
import { RuleContract } from './contracts/rule';
import { SystemContract } from './contracts/system';
import { TraceContract } from './contracts/trace';
import { TransferContract } from './contracts/transfer';

export const contracts = [FilingContract, RuleContract, TransferContract, TraceContract, AlertContract, SystemContract];
