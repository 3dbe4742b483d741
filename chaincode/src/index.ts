// Chaincode entry point: the contracts fabric-chaincode-node serves.
import { AccountContract } from './contracts/account';
import { AlertContract } from './contracts/alert';
import { CreditContract } from './contracts/credit';
import { FilingContract } from './contracts/filing';
import { ProjectContract } from './contracts/project';
import { RuleContract } from './contracts/rule';
import { SystemContract } from './contracts/system';
import { TraceContract } from './contracts/trace';
import { TransferContract } from './contracts/transfer';
import { TypologyContract } from './contracts/typology';

export const contracts = [
  FilingContract,
  RuleContract,
  TypologyContract,
  AccountContract,
  ProjectContract,
  TransferContract,
  TraceContract,
  AlertContract,
  CreditContract,
  SystemContract,
];
