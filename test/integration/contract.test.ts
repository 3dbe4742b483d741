// The API contract, tested by Schemathesis against the gateway on the real network: every phase, each role's
// key; no 5xx, no undocumented status, content type or header, and every response as its schema says.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sleep } from '@regchain/common';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import { MonitorIndex } from '../../gateway/src/monitor-index';
import type { createServices } from '../../gateway/src/services';
import { Uploads } from '../../gateway/src/uploads';
import { monitorConfig, startMonitor } from '../../monitor/src/server';
import { suiteServices } from '../support/gateway';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-contract-it-'));
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-schemathesis-'));
const schemathesis =
  process.env.REGCHAIN_SCHEMATHESIS ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'regchain', 'schemathesis-4.32.5', 'bin', 'st');

/**
 * Left out, and why: positive_data_acceptance (a schema-valid request names an account or filing that does not
 * exist, or a role the route refuses: 403/404/409 are the right answers); object_level_authorization (needs two
 * users' resources the generator cannot create; the trust suite tests it by hand). The event stream is excluded:
 * it never ends by design.
 */
const EXCLUDED_CHECKS = ['positive_data_acceptance', 'object_level_authorization'];

let app: FastifyInstance;
let url: string;
let keys: Record<string, string>;
let services: ReturnType<typeof createServices>;
/** The monitor the index answers (source=index) come from: the contract covers them too. */
let monitor: Awaited<ReturnType<typeof startMonitor>> | undefined;

/** What the regulator's rules, watchlist and credit model hold: fuzzing publishes rules, models and watches entries for the whole channel. */
async function regulatorState(): Promise<{ rules: Set<string>; watched: Set<string>; settings: unknown; creditModel: { version: number; model: unknown } }> {
  const get = async <T>(url: string): Promise<T> =>
    (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys.regulator1}` } })).json() as T;
  const rules = await get<{ ruleId: string }[]>('/v1/rules');
  const watched = await get<{ kind: string; value: string }[]>('/v1/watchlist');
  return {
    rules: new Set(rules.map((r) => r.ruleId)),
    watched: new Set(watched.map((w) => `${w.kind}/${w.value}`)),
    settings: await get<unknown>('/v1/transfers/settings'),
    creditModel: await get<{ version: number; model: unknown }>('/v1/credit/model'),
  };
}
let before: Awaited<ReturnType<typeof regulatorState>>;

beforeAll(async () => {
  if (!fs.existsSync(schemathesis)) throw new Error(`Schemathesis is not at ${schemathesis}: run the tests with \`npm test\`, which installs it`);
  // Generated traffic is far above a caller's real pace: the budgets are lifted so the contract, not the limiter, answers.
  services = suiteServices(dataDir);
  keys = await bootstrapCallers(services.config, services.callers);
  // Files the fuzzer uploads are accepted and followed here, but their batches do not reach the ledger: the
  // peers stay free for the contract under test, and the transfer suite sends real uploads.
  const uploads = new Uploads(services.database, dataDir, async (_caller, items) => ({
    results: items.map((_item, index) => ({ index, status: 'failed' as const, code: 'NOT_SENT' })),
  }));
  monitor = await startMonitor({
    ...monitorConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
    dataDir: path.join(dataDir, 'index'),
    port: 0,
    logLevel: 'silent',
  });
  app = await buildApp({ ...services, uploads, index: new MonitorIndex(monitor.url, undefined, services.config.monitorTokenFile) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // A suite before this one may have stopped and restarted peers: the contract is tested on a network that is whole.
  for (let i = 0; i < 120 && (await app.inject({ method: 'GET', url: '/ready' })).statusCode !== 200; i += 1) await sleep(500);
  before = await regulatorState();
});

afterAll(async () => {
  // The suites after this one share the channel: rules, watchlist entries, transfer settings and credit models the fuzzer made are undone.
  if (app && before) {
    const after = await regulatorState();
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys.regulator1}` }, payload: payload as object });
    for (const ruleId of after.rules) if (!before.rules.has(ruleId)) await post(`/v1/rules/${encodeURIComponent(ruleId)}/deactivate`, undefined);
    await app.inject({
      method: 'PUT',
      url: '/v1/transfers/settings',
      headers: { authorization: `Bearer ${keys.regulator1}` },
      payload: before.settings as object,
    });
    // A model the fuzzer published grades everyone from then on: the one in force before comes back, as a new version.
    if (after.creditModel.version !== before.creditModel.version) await post('/v1/credit/model', before.creditModel.model);
    for (const entry of after.watched)
      if (!before.watched.has(entry))
        await post(`/v1/watchlist/${entry.split('/').map(encodeURIComponent).join('/')}/remove`, { note: 'contract test clean-up' });
  }
  await app?.close();
  await monitor?.close();
  await services?.close();
});

interface Outcome {
  readonly exitCode: number;
  readonly output: string;
}

function run(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    // sitecustomize.py there works around CPython 3.11's AST recursion bug inside Hypothesis.
    const env = { ...process.env, PYTHONPATH: path.join(__dirname, '..', 'support', 'schemathesis') };
    execFile(schemathesis, args, { maxBuffer: 64 * 1024 * 1024, timeout: 600_000, env }, (err, stdout, stderr) =>
      resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe('API contract (Schemathesis)', () => {
  it.each([
    ['regulator1', 25],
    ['bank1', 10],
    ['enterprise1', 10],
    ['auditor1', 10],
  ])('holds for every operation and phase with the key of %s', async (user, examples) => {
    const key = keys[user];
    expect(key).toBeDefined();
    const args = [
      'run',
      `${url}/docs/json`,
      '--header',
      `Authorization: Bearer ${key}`,
      '--checks',
      'all',
      '--exclude-checks',
      EXCLUDED_CHECKS.join(','),
      '--phases',
      'examples,coverage,fuzzing,stateful',
      '--max-examples',
      String(examples),
      '--seed',
      '20261123',
      '--exclude-path',
      '/v1/events',
      // Two workers: writes racing for one key (a rule's next version, a watchlist entry) must end as one commit
      // and a 409 to retry, never a 503 or a policy failure.
      '--workers',
      '2',
      '--suppress-health-check',
      'all',
      '--request-timeout',
      '30',
      '--no-color',
      '--report',
      'junit',
      '--report-junit-path',
      path.join(reports, `${user}.xml`),
    ];
    let { exitCode, output } = await run(args);
    // Should CPython's AST bug still surface (an interpreter bug, not an answer of the API), the same seed runs again once.
    if (exitCode !== 0 && output.includes('SystemError: AST constructor recursion depth mismatch')) ({ exitCode, output } = await run(args));
    const summary = output.split('\n').filter((l) => /test cases|passed|failed|errors?\b/i.test(l));
    process.stdout.write(`schemathesis as ${user}:\n${summary.slice(-6).join('\n')}\n`);
    if (exitCode !== 0) throw new Error(`Schemathesis found failures as ${user}:\n${output.slice(-8000)}`);
  });
});
