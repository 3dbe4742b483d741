// The monitor on the real network: it follows committed blocks into its index (PGlite), finds a pattern across
// transfers and raises it on chain with its own identity within a block or two; stopped while transfers commit,
// it resumes from its checkpoint and raises what it missed, and nothing twice; it applies the parameters the
// regulator publishes; the gateway answers traces, counterparties and statistics from its index behind the
// chain's visibility; a back-test file loaded with the CSV upload raises on chain the alerts the back-test finds.
import { DEFAULT_TYPOLOGY_PARAMETERS, sleep, TYPOLOGIES } from '@regchain/common';
import { ownerSecret } from '@regchain/common/node';
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import type { createServices } from '../../gateway/src/services';
import { type IndexPort, MonitorIndex } from '../../gateway/src/monitor-index';
import { backtest } from '../../monitor/src/backtest';
import { transfersCsv } from '../../monitor/src/csv';
import { monitorConfig, startMonitor } from '../../monitor/src/server';
import { labelledSet } from '../../monitor/src/synthetic';
import { orgByKey } from '../../network/src/topology';
import { suiteServices } from '../support/gateway';

const run = Date.now().toString(36);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-monitor-it-'));
const BANK = orgByKey('bank').users[0]?.entityId as string;
/** Just under the 50,000 CNY threshold, in fen. */
const NEAR = 4_600_000;

let services: ReturnType<typeof createServices>;
let app: FastifyInstance;
let keys: Record<string, string>;
let index: IndexPort;
const config = {
  ...monitorConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
  dataDir: path.join(dataDir, 'index'),
  port: 0,
  logLevel: 'silent',
};

beforeAll(async () => {
  services = suiteServices(dataDir);
  keys = await bootstrapCallers(services.config, services.callers);
  // The monitor listens on a port it picks: the gateway asks whichever monitor the test started last.
  app = await buildApp({ ...services, index: { query: (path, query) => index.query(path, query) } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api<T = any>(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
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
  const anonymous = await fetch(`${url}/status`);
  expect(anonymous.status).toBe(401);
  return (await fetch(`${url}/status`, { headers: { authorization: `Bearer ${ownerSecret(config.tokenFile)}` } })).json() as never;
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
    // Every page: a network kept across runs holds more structuring alerts than one page.
    let bookmark = '';
    do {
      const page = await api<{ items: { alertId: string; lastTxId: string; pattern?: { key: string; transferIds: string[] } }[]; bookmark: string }>(
        'regulator1',
        'GET',
        `/v1/alerts?ruleId=pattern.structuring&pageSize=200${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`,
      );
      const found = page.body.items.find((a) => a.pattern && ids.every((id) => a.pattern?.transferIds.includes(id)));
      if (found?.pattern) return found as never;
      bookmark = page.body.bookmark;
    } while (bookmark);
    await sleep(500);
  }
  throw new Error(`no structuring alert for ${ids.join(', ')} within ${timeoutMs} ms`);
}

async function startAndAsk(): Promise<Awaited<ReturnType<typeof startMonitor>>> {
  const monitor = await startMonitor(config);
  index = new MonitorIndex(monitor.url, undefined, services.config.monitorTokenFile);
  return monitor;
}

it('raises a pattern on chain within a block or two, and after a restart raises what it missed, nothing twice', async () => {
  let monitor = await startAndAsk();
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

    // The same money, traced from the index through the gateway: what the chaincode's trace answers, saying where it came from.
    const traceUrl = `/v1/traces?accountId=s1-payer-${run}&direction=forward&depth=2`;
    const fromIndex = await api('regulator1', 'GET', `${traceUrl}&source=index`);
    const fromLedger = await api('regulator1', 'GET', traceUrl);
    expect([fromIndex.status, fromIndex.body.source, fromLedger.body.source]).toEqual([200, 'index', 'ledger']);
    expect(fromIndex.body.asOfBlock).toBeGreaterThanOrEqual(first.block);
    expect(fromIndex.body.edges).toEqual(fromLedger.body.edges);
    expect((await api('bank1', 'GET', `${traceUrl}&source=index`)).body.edges).toHaveLength(3);
    const counterparties = await api('bank1', 'GET', `/v1/accounts/s1-payer-${run}/counterparties`);
    expect(counterparties.body.counterparties).toEqual([{ account: `s1-payee-${run}`, paid: 3 * NEAR + 3, payments: 3, received: 0, receipts: 0 }]);
    // An account another bank holds: the chain says the bank may not see it, and the index is not asked.
    const AUDITOR = orgByKey('auditor').users[0]?.entityId as string;
    expect((await api('regulator1', 'POST', '/v1/accounts', { accountId: `held-${run}`, ownerEntityId: BANK, name: 'x', holderBankId: AUDITOR })).status).toBe(
      201,
    );
    for (const url of [`/v1/accounts/held-${run}/counterparties`, `/v1/traces?accountId=held-${run}&direction=forward&source=index`])
      expect((await api('bank1', 'GET', url)).body.code).toBe('ACCOUNT_NOT_FOUND');
    const stats = await api('auditor1', 'GET', '/v1/statistics?source=index&days=7');
    expect(stats.body.source).toBe('index');
    expect(stats.body.patterns.find((p: { typology: string }) => p.typology === 'structuring').alerts).toBeGreaterThanOrEqual(1);
    expect(stats.body.daily.at(-1).transfers).toBeGreaterThanOrEqual(3);
    // Only the gateway may ask the index.
    expect((await fetch(`${monitor.url}/traces?accountId=s1-payer-${run}`)).status).toBe(401);
  } finally {
    await monitor.close();
  }

  // Transfers commit while the monitor is down.
  const missed = await structuring('s2');
  expect((await api('regulator1', 'GET', `/v1/statistics?source=index`)).body.code).toBe('INDEX_UNAVAILABLE');
  monitor = await startAndAsk();
  try {
    await alertFor(missed.ids);
    const s = await status(monitor.url);
    expect(s.alertsPending).toBe(0);
    const mine: unknown[] = [];
    let bookmark = '';
    do {
      const page = await api<{ items: { pattern?: { transferIds: string[] } }[]; bookmark: string }>(
        'regulator1',
        'GET',
        `/v1/alerts?ruleId=pattern.structuring&pageSize=200${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`,
      );
      mine.push(...page.body.items.filter((a) => a.pattern?.transferIds.some((id) => [...missed.ids].includes(id))));
      bookmark = page.body.bookmark;
    } while (bookmark);
    expect(mine).toHaveLength(1);
  } finally {
    await monitor.close();
  }
});

it('raises on chain the alerts the back-test finds in a file loaded with the CSV upload', async () => {
  // A labelled set whose last transfer is an hour ago, on accounts and references of this run.
  const set = labelledSet({ seed: 77, days: 15, people: 40, instances: 1 });
  const shift = Math.floor(Date.now() / 1000) - 3600 - Math.max(...set.transfers.map((t) => t.executedAt));
  const name = (a: string): string => `bt${run}-${a}`;
  const transfers = set.transfers.map((t) => ({ ...t, id: name(t.id), from: name(t.from), to: name(t.to), executedAt: t.executedAt + shift }));
  const file = path.join(dataDir, 'backtest.csv');
  fs.writeFileSync(file, transfersCsv(transfers));
  // The live monitor judges the slow patterns a repeat window after a transfer: as of the file's newest
  // transfer, so does the back-test.
  const expected = await backtest(file, { openEnded: true });
  expect(expected.alerts.length).toBeGreaterThan(3);

  const accounts = [...new Set(transfers.flatMap((t) => [t.from, t.to]))];
  for (let i = 0; i < accounts.length; i += 16)
    await Promise.all(
      accounts
        .slice(i, i + 16)
        .map(async (accountId) => expect((await api('bank1', 'POST', '/v1/accounts', { accountId, ownerEntityId: BANK, name: 'b' })).status).toBe(201)),
    );
  // The set reaches months back (dormant accounts wake after a long rest): the regulator lifts the back-dating limit, as on a back-test network.
  const settings = (await api('regulator1', 'GET', '/v1/transfers/settings')).body;
  expect((await api('regulator1', 'PUT', '/v1/transfers/settings', { maxBackdateDays: null })).status).toBe(200);
  // Late reporting: transfers recorded more than 7 days after they were executed (the default model's limit) go
  // into the reporter's credit file, one entry a day; the count before this upload, whatever earlier runs filed.
  const lateFiled = async (): Promise<number> =>
    ((await api('regulator1', 'GET', `/v1/credit/entities/${BANK}/file`)).body.entries as { kind: string; late?: { count: number } }[])
      .filter((e) => e.kind === 'late_report')
      .reduce((n, e) => n + (e.late?.count ?? 0), 0);
  const lateBefore = await lateFiled();
  const uploadedAt = Math.floor(Date.now() / 1000);
  const olderThan = (seconds: number): number => transfers.filter((t) => t.executedAt < seconds).length;
  const monitor = await startAndAsk();
  try {
    const upload = await app.inject({
      method: 'POST',
      url: '/v1/transfers/uploads',
      headers: { authorization: `Bearer ${keys.bank1}`, 'content-type': 'text/csv' },
      payload: fs.readFileSync(file, 'utf8'),
    });
    expect(upload.statusCode).toBe(202);
    let done: any;
    for (let i = 0; i < 240; i += 1) {
      done = (await api('bank1', 'GET', `/v1/transfers/uploads/${upload.json().uploadId}`)).body;
      if (done.status !== 'running') break;
      await sleep(500);
    }
    expect([done.status, done.recorded, done.failures.slice(0, 3)]).toEqual(['done', transfers.length, []]);
    for (let i = 0; i < 240; i += 1) {
      const s = await status(monitor.url);
      if (s.behindBlocks === 0 && s.alertsPending === 0) break;
      await sleep(500);
    }

    // The chain's pattern alerts on this run's accounts, their evidence as the file's references.
    const recorded = new Map<string, { reference: string; time: number }>();
    const transferOf = async (transferId: string): Promise<{ reference: string; time: number }> => {
      if (!recorded.has(transferId)) recorded.set(transferId, (await api('regulator1', 'GET', `/v1/transfers/${transferId}`)).body);
      return recorded.get(transferId) as { reference: string; time: number };
    };
    // An instance is its typology, anchor account and first transfer. Transfers in the same second are ordered
    // by id, and a transfer's id on chain is not its reference: the first one is compared by its time.
    const executedAt = new Map(transfers.map((t) => [t.id, t.executedAt]));
    const instanceOf = (key: string, firstTime: number): string => `${key.slice(0, key.lastIndexOf(':'))}@${firstTime}`;
    const onChain: { instance: string; transfers: string[] }[] = [];
    for (const typology of TYPOLOGIES) {
      let bookmark = '';
      do {
        const page = await api(
          'regulator1',
          'GET',
          `/v1/alerts?ruleId=pattern.${typology}&pageSize=200${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`,
        );
        for (const a of page.body.items as { pattern: { key: string; accounts: string[]; transferIds: string[] } }[]) {
          if (!a.pattern.accounts.some((x) => x.startsWith(`bt${run}-`))) continue;
          const refs: string[] = [];
          for (const id of a.pattern.transferIds) refs.push((await transferOf(id)).reference);
          const first = a.pattern.key.slice(a.pattern.key.lastIndexOf(':') + 1);
          onChain.push({ instance: instanceOf(a.pattern.key, (await transferOf(first)).time), transfers: refs });
        }
        bookmark = page.body.bookmark ?? '';
      } while (bookmark);
    }
    const backtested = expected.alerts.map((x) => ({
      instance: instanceOf(x.key, executedAt.get(x.key.slice(x.key.lastIndexOf(':') + 1)) as number),
      transfers: new Set(x.transfers),
    }));
    expect(onChain.map((x) => x.instance).sort()).toEqual(backtested.map((x) => x.instance).sort());
    // Every transfer an alert carries on chain is in the back-test's alert of the same instance.
    const byInstance = new Map(backtested.map((x) => [x.instance, x.transfers]));
    for (const a of onChain) expect(a.transfers.filter((r) => !byInstance.get(a.instance)?.has(r))).toEqual([]);

    // The monitor filed the file's late transfers in the bank's credit file (the chaincode checked each).
    const week = 7 * 86_400;
    const atLeast = olderThan(uploadedAt - week - 3600);
    expect(atLeast).toBeGreaterThan(10);
    let filed = 0;
    for (let i = 0; i < 120 && filed < atLeast; i += 1) {
      filed = (await lateFiled()) - lateBefore;
      if (filed < atLeast) await sleep(500);
    }
    expect(filed).toBeGreaterThanOrEqual(atLeast);
  } finally {
    await monitor.close();
    await api('regulator1', 'PUT', '/v1/transfers/settings', settings);
  }
});
