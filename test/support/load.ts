// Write load from every org through a gateway the suite runs on the real network, and the read-back of what was
// acknowledged: the failover and multi-host suites' measure of "nothing acknowledged lost".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import { orgByKey } from '../../network/src/topology';
import { suiteServices } from './gateway';

const ENT = orgByKey('enterprise').users[0]?.entityId as string;
const BANK = orgByKey('bank').users[0]?.entityId as string;
const run = Date.now().toString(36);

export interface Answer {
  readonly status: number;
  readonly body: { transactionId?: string; code?: string };
}

export interface Outcome {
  readonly org: string;
  readonly at: number;
  readonly ok: boolean;
  readonly transactionId?: string;
  /** A failure's status and error code, e.g. `503 CHAINCODE_UNAVAILABLE`. */
  readonly failure?: string;
}

/** A gateway the suite listens on, and the callers' API keys. */
export interface Target {
  readonly url: string;
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * A gateway for the suite on a free port, with every local user's API key; `close` stops it and its services.
 * Call in beforeAll; the answer's `target` is set once it listens.
 */
export async function startTarget(tag: string): Promise<{ target: Target; close: () => Promise<void> }> {
  const services = suiteServices(fs.mkdtempSync(path.join(os.tmpdir(), `regchain-${tag}-it-`)));
  const keys = await bootstrapCallers(services.config, services.callers);
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    target: { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, keys },
    close: async () => {
      await app.close();
      await services.close();
    },
  };
}

export async function post(target: Target, as: string, route: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${target.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.keys[as]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Every org writes in a loop until stopped: bank and enterprise open accounts, the regulator keeps a watchlist. */
export function load(target: Target, tag: string): { outcomes: Outcome[]; stop: () => Promise<void> } {
  const outcomes: Outcome[] = [];
  let running = true;
  let n = 0;
  const writers: Record<string, () => Promise<Answer>> = {
    bank: () => post(target, 'bank1', '/v1/accounts', { accountId: `fo-${tag}-b-${run}-${(n += 1)}`, ownerEntityId: ENT, name: 'b' }),
    enterprise: () =>
      post(target, 'enterprise1', '/v1/accounts', { accountId: `fo-${tag}-e-${run}-${(n += 1)}`, ownerEntityId: ENT, name: 'e', holderBankId: BANK }),
    regulator: () => post(target, 'regulator1', '/v1/watchlist', { kind: 'account', value: `fo-${tag}-r-${run}-${(n += 1)}`, reason: 'load test' }),
  };
  const loops = Object.entries(writers).map(async ([org, write]) => {
    while (running) {
      const started = Date.now();
      try {
        const res = await write();
        outcomes.push({
          org,
          at: started,
          ok: res.status === 201,
          ...(res.status === 201 && res.body.transactionId ? { transactionId: res.body.transactionId } : {}),
          ...(res.status === 201 ? {} : { failure: `${res.status} ${res.body.code ?? ''}` }),
        });
      } catch (err) {
        outcomes.push({ org, at: started, ok: false, failure: String(err) });
      }
    }
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Every acknowledged transaction, read back from the auditor's own peer: how many are not there as VALID. */
export async function lost(target: Target, outcomes: readonly Outcome[]): Promise<number> {
  let missing = 0;
  for (const o of outcomes.filter((x) => x.transactionId)) {
    const res = await fetch(`${target.url}/v1/transactions/${o.transactionId}`, { headers: { authorization: `Bearer ${target.keys.auditor1}` } });
    const body = (await res.json()) as { validationCode?: string };
    if (res.status !== 200 || body.validationCode !== 'VALID') missing += 1;
  }
  return missing;
}
