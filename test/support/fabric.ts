// Helpers for integration suites: contracts as a topology user, and chaincode errors read back from Fabric.
import { type Contract, GatewayError } from '@hyperledger/fabric-gateway';
import type { ParsedError } from '@regchain/common';
import { chaincodeErrorOf } from '@regchain/fabric';
import { connectAs, type Connection } from '../../network/src/client';
import { CHAINCODE_NAME, CHANNEL, orgByKey, type PeerOrg } from '../../network/src/topology';

export type OrgKey = PeerOrg['key'];

export class Clients {
  readonly #open: Connection[] = [];

  /** The regchain contract as the org's first enrolled user, through that org's own peer. */
  contract(org: OrgKey): Contract {
    const o = orgByKey(org);
    const user = o.users[0];
    if (!user) throw new Error(`no user in ${org}`);
    const connection = connectAs(o, user.name);
    this.#open.push(connection);
    return connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
  }

  close(): void {
    for (const c of this.#open) c.close();
  }
}

/** The chaincode's "CODE: message" as it comes back inside a gateway error. */
export const chaincodeError = (err: unknown): ParsedError | undefined => (err instanceof GatewayError ? chaincodeErrorOf(err) : undefined);

export async function expectChaincodeError(promise: Promise<unknown>, code: string): Promise<ParsedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const parsed = chaincodeError(err);
  if (parsed?.code !== code) throw new Error(`expected ${code}, got ${parsed?.code ?? String(err)}`);
  return parsed;
}

export const json = <T>(bytes: Uint8Array): T => JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
