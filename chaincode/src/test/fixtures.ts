// Identities, contracts and helpers shared by the chaincode's unit tests.
import { AccountContract } from '../contracts/account';
import { AlertContract } from '../contracts/alert';
import { CreditContract } from '../contracts/credit';
import { FilingContract } from '../contracts/filing';
import { ProjectContract } from '../contracts/project';
import { RuleContract } from '../contracts/rule';
import { SystemContract } from '../contracts/system';
import { TraceContract } from '../contracts/trace';
import { TransferContract } from '../contracts/transfer';
import { TypologyContract } from '../contracts/typology';
import { checkCharacter } from '../domain/creditcode';
import { DEFAULT_TYPOLOGY_PARAMETERS, parseErrorMessage } from '@regchain/common';
import { ChaincodeError } from '../errors';
import { type InvokeResult, type Simulation, type TestIdentity, TestPeer } from './peer';

export const code = (first17: string): string => first17 + checkCharacter(first17);

export const ENT1 = code('91500000MA5U0ENT1');
export const ENT2 = code('91500000MA5U0ENT2');
export const BANK = code('91500000MA5U0BNK1');
export const BANK2 = code('91500000MA5U0BNK2');
export const REG = code('11500000MB1234567');

export const as = {
  regulator: { name: 'regulator1', mspId: 'RegulatorMSP', role: 'regulator', entityId: REG },
  bank: { name: 'bank1', mspId: 'BankMSP', role: 'bank', entityId: BANK },
  otherBank: { name: 'bank2', mspId: 'BankMSP', role: 'bank', entityId: BANK2 },
  enterprise: { name: 'enterprise1', mspId: 'EnterpriseMSP', role: 'enterprise', entityId: ENT1 },
  otherEnterprise: { name: 'enterprise2', mspId: 'EnterpriseMSP', role: 'enterprise', entityId: ENT2 },
  auditor: { name: 'auditor1', mspId: 'AuditorMSP', role: 'auditor', entityId: code('12500000MB7654321') },
} satisfies Record<string, TestIdentity>;

export const contracts = {
  filing: new FilingContract(),
  account: new AccountContract(),
  project: new ProjectContract(),
  rule: new RuleContract(),
  typology: new TypologyContract(),
  transfer: new TransferContract(),
  trace: new TraceContract(),
  alert: new AlertContract(),
  credit: new CreditContract(),
  system: new SystemContract(),
};
export type ContractName = keyof typeof contracts;

export class World {
  readonly peer = new TestPeer();

  async invoke(
    name: `${ContractName}:${string}`,
    input: unknown,
    who: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<InvokeResult> {
    const [contract, fn] = name.split(':') as [ContractName, string];
    const arg = typeof input === 'string' ? input : JSON.stringify(input);
    return this.peer.invoke(contracts[contract], fn, [arg], who, options);
  }

  /** Endorses without committing, for `peer.commitBlock`. */
  async simulate(
    name: `${ContractName}:${string}`,
    input: unknown,
    who: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<Simulation> {
    const [contract, fn] = name.split(':') as [ContractName, string];
    return this.peer.simulate(contracts[contract], fn, [JSON.stringify(input)], who, options);
  }

  /** Invokes and parses the JSON result. */
  async call<T = Record<string, unknown>>(
    name: `${ContractName}:${string}`,
    input: unknown,
    who: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<T> {
    return JSON.parse((await this.invoke(name, input, who, options)).result) as T;
  }

  /** Asserts the call fails with the code and leaves world state exactly as it was. */
  async refuses(
    code: string,
    name: `${ContractName}:${string}`,
    input: unknown,
    who: TestIdentity,
    options: { transient?: Record<string, unknown>; time?: number } = {},
  ): Promise<ChaincodeError> {
    const before = this.peer.snapshot();
    const err = await this.invoke(name, input, who, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof ChaincodeError)) throw new Error(`expected ${code} from ${name}, got ${err === undefined ? 'success' : String(err)}`);
    expect(err.code).toBe(code);
    expect(parseErrorMessage(err.message)?.code).toBe(code);
    expect(this.peer.snapshot()).toEqual(before);
    return err;
  }
}

export const person = { name: '张三', idNumber: '11010519491231002X', phone: '+86-23-6000-0000', email: 'zhang@example.cn' };

export function filingInput(creditCode = ENT1, serviceName = '链上存证服务'): Record<string, unknown> {
  return {
    applicant: { name: '重庆示例科技有限公司', type: 'enterprise', creditCode },
    service: {
      name: serviceName,
      category: 'application',
      form: 'website',
      applicationField: 'judicial',
      serverAddresses: ['10.0.0.1', 'chain.example.cn'],
      description: '电子证据存证与核验',
    },
    attachments: [{ name: 'licence.pdf', sha256: 'a'.repeat(64) }],
  };
}

/** Submits a filing as the enterprise and returns its id. */
export async function submitFiling(world: World, who: TestIdentity = as.enterprise, serviceName?: string): Promise<string> {
  const f = await world.call<{ filingId: string }>('filing:submit', filingInput(who.entityId, serviceName), who, { transient: { personInCharge: person } });
  return f.filingId;
}

/** Takes a filing through review to approval; returns its filing number. */
export async function approveFiling(world: World, filingId: string): Promise<string> {
  await world.call('filing:startReview', { filingId, note: '' }, as.regulator);
  const f = await world.call<{ filingNumber: string }>('filing:approve', { filingId, note: 'complete' }, as.regulator);
  return f.filingNumber;
}

/** The alerts a transfer raised, as the regulator reads them: members are never told. */
export async function alertsOf(world: World, transferId: string): Promise<string[]> {
  return (await world.call<{ alerts: string[] }>('transfer:get', { transferId }, as.regulator)).alerts;
}

/** A complete, valid set of typology parameters (the regulator publishes the whole set): the monitor's defaults. */
export function typologyParameters(): Record<string, unknown> {
  return structuredClone(DEFAULT_TYPOLOGY_PARAMETERS) as unknown as Record<string, unknown>;
}
