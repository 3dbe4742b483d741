// The monitor on the real network: it follows committed blocks into its index (PGlite), finds a pattern across
// transfers and raises it on chain with its own identity within a block or two; stopped while transfers commit,
// it resumes from its checkpoint and raises what it missed, and nothing twice; it applies the parameters the
// regulator publishes.
import { DEFAULT_TYPOLOGY_PARAMETERS, sleep } from '@regchain/common';
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../gateway/src/app';
import { loadConfig } from '../../gateway/src/config';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import { createServices } from '../../gateway/src/services';
import { monitorConfig, startMonitor } from '../../monitor/src/server';
import { orgByKey } from '../../network/src/topology';

const run = Date.now().toString(36);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-monitor-it-'));
const BANK = orgByKey('bank').users[0]?.entityId as string;
/** Just under the 50,000 CNY threshold, in fen. */
const NEAR = 4_600_000;

let services: ReturnType<typeof createServices>;
let app: FastifyInstance;
let keys: Record<string, string>;
const config = {
  ...monitorConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
  dataDir: path.join(dataDir, 'index'),
  port: 0,
  logLevel: 'silent',
};

beforeAll(async () => {
  services = createServices({
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME }),
    dataDir,
    secret: 'monitor-secret',
    secretFile: path.join(dataDir, 'vault.key'),
    logLevel: 'silent',
    rateLimitPerMinute: 1_000_000,
  });
  keys = await bootstrapCallers(services.config, services.callers);
  app = await buildApp(services);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  services.ledger.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api<T = any>(who: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${keys[who]}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() as T };
}

async function status(
  url: string,
): Promise<{ behindBlocks: number | null; transfers: number; alertsPending: number; parametersVersion: number; checkpoint?: { block: number } }> {
  return (await fetch(`${url}/status`)).json() as never;
}

/** Three payments just under the threshold from one new account within minutes: structuring. */
async function structuring(tag: string): Promise<{ ids: string[]; block: number }> {
  for (const a of ['payer', 'payee'])
    expect((await api('bank1', 'POST', '/v1/accounts', { accountId: `${tag}-${a}-${run}`, ownerEntityId: BANK, name: a })).status).toBe(201);
  const ids: string[] = [];
  let block = 0;
  for (let i = 0; i < 3; i += 1) {
    const r = await api<{ result: { transferId: string }; blockNumber: string }>('bank1', 'POST', '/v1/transfers', {
      fromAccount: `${tag}-payer-${run}`,
      toAccount: `${tag}-payee-${run}`,
      amount: NEAR + i,
      currency: 'CNY',
      purpose: 'goods',
      reference: `${tag}-${run}-${i}`,
    });
    expect(r.status).toBe(201);
    ids.push(r.body.result.transferId);
    block = Number(r.body.blockNumber);
  }
  return { ids, block };
}

/** The pattern alert whose evidence holds these transfers, once it is on the chain. */
async function alertFor(ids: string[], timeoutMs = 60_000): Promise<{ alertId: string; lastTxId: string; pattern: { key: string; transferIds: string[] } }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const page = await api<{ items: { alertId: string; lastTxId: string; pattern?: { key: string; transferIds: string[] } }[] }>(
      'regulator1',
      'GET',
      '/v1/alerts?ruleId=pattern.structuring&pageSize=200',
    );
    const found = page.body.items.find((a) => a.pattern && ids.every((id) => a.pattern?.transferIds.includes(id)));
    if (found?.pattern) return found as never;
    await sleep(500);
  }
  throw new Error(`no structuring alert for ${ids.join(', ')} within ${timeoutMs} ms`);
}

it('raises a pattern on chain within a block or two, and after a restart raises what it missed, nothing twice', async () => {
  let monitor = await startMonitor(config);
  try {
    // Caught up with whatever the network already holds.
    for (let i = 0; i < 240 && (await status(monitor.url)).behindBlocks !== 0; i += 1) await sleep(500);
    expect((await status(monitor.url)).behindBlocks).toBe(0);

    // The regulator publishes a set of parameters (the defaults: other suites may have published others); the
    // monitor applies it from its block.
    const published = await api<{ result: { version: number } }>('regulator1', 'POST', '/v1/typologies', DEFAULT_TYPOLOGY_PARAMETERS);
    expect(published.status).toBe(201);
    for (let i = 0; i < 40 && (await status(monitor.url)).parametersVersion !== published.body.result.version; i += 1) await sleep(250);
    expect((await status(monitor.url)).parametersVersion).toBe(published.body.result.version);
    expect((await api('bank1', 'GET', '/v1/typologies')).status).toBe(403);

    const first = await structuring('s1');
    const alert = await alertFor(first.ids);
    const tx = await api<{ blockNumber: string }>('regulator1', 'GET', `/v1/transactions/${alert.lastTxId}`);
    expect(Number(tx.body.blockNumber) - first.block).toBeLessThanOrEqual(2);

    // The same money, traced from the index: what the chaincode's trace would answer, saying where it came from.
    const trace = (await (await fetch(`${monitor.url}/traces?accountId=s1-payer-${run}&direction=forward&depth=2`)).json()) as {
      source: string;
      edges: { transferId: string }[];
    };
    expect(trace.source).toBe('index');
    expect(trace.edges.map((e) => e.transferId).sort()).toEqual([...first.ids].sort());
    expect((await fetch(`${monitor.url}/traces?accountId=${encodeURIComponent('../x')}`)).status).toBe(400);
  } finally {
    await monitor.close();
  }

  // Transfers commit while the monitor is down.
  const missed = await structuring('s2');
  monitor = await startMonitor(config);
  try {
    await alertFor(missed.ids);
    const s = await status(monitor.url);
    expect(s.alertsPending).toBe(0);
    const page = await api<{ items: { pattern?: { transferIds: string[] } }[] }>('regulator1', 'GET', '/v1/alerts?ruleId=pattern.structuring&pageSize=200');
    const mine = page.body.items.filter((a) => a.pattern?.transferIds.some((id) => [...missed.ids].includes(id)));
    expect(mine).toHaveLength(1);
  } finally {
    await monitor.close();
  }
});
