// Benchmark: submit and query latency at low load, REST gateway versus fabric-gateway directly, side by side,
// plus the cost of a transfer check and of a 5-hop trace. Prints figures; asserts nothing.
// Run: npm run bench [-- --n 100]
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { parseArgs, promisify } from 'node:util';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCharacter } from '../chaincode/src/domain/creditcode';
import { buildApp } from '../gateway/src/app';
import { loadConfig } from '../gateway/src/config';
import { bootstrapCallers } from '../gateway/src/fabric/bootstrap';
import { createServices } from '../gateway/src/services';
import { connectAs } from '../network/src/client';
import { up } from '../network/src/network';
import { CHAINCODE_NAME, CHANNEL, orgByKey } from '../network/src/topology';

const execFileAsync = promisify(execFile);
const { values } = parseArgs({ options: { n: { type: 'string' } }, strict: true });
const N = values.n === undefined ? 60 : Number(values.n);
if (!Number.isInteger(N) || N < 1) throw new Error('--n: a whole number from 1');
const run = Date.now().toString(36);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `p50 ${at(0.5).toFixed(1)} ms  p99 ${at(0.99).toFixed(1)} ms  mean ${mean.toFixed(1)} ms  (n=${s.length})`;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  process.env.REGCHAIN_QUIET = '1';
  await up();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-bench-'));
  const config = {
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
    dataDir,
    secret: 'bench',
    logLevel: 'silent',
    port: 0,
    rateLimitPerMinute: 1_000_000,
    addressRateLimitPerMinute: 1_000_000,
  };
  const services = createServices(config);
  const keys = await bootstrapCallers(services.config, services.callers);
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const bank = orgByKey('bank');
  const direct = connectAs(bank, 'bank1');
  const contract = direct.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
  const entity = orgByKey('enterprise').users[0]?.entityId as string;
  const headers = { authorization: `Bearer ${keys.bank1}`, 'content-type': 'application/json' };
  const rest = async (method: string, p: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${p}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  // Warm both paths (connections, chaincode JIT) before measuring.
  for (let i = 0; i < 5; i += 1) {
    await contract.submitTransaction('account:open', JSON.stringify({ accountId: `warm-d-${run}-${i}`, ownerEntityId: entity, name: 'w' }));
    await rest('POST', '/v1/accounts', { accountId: `warm-r-${run}-${i}`, ownerEntityId: entity, name: 'w' });
  }

  const submitDirect: number[] = [];
  const submitRest: number[] = [];
  for (let i = 0; i < N; i += 1) {
    submitDirect.push(
      await time(() => contract.submitTransaction('account:open', JSON.stringify({ accountId: `bd-${run}-${i}`, ownerEntityId: entity, name: 'b' }))),
    );
    submitRest.push(await time(() => rest('POST', '/v1/accounts', { accountId: `br-${run}-${i}`, ownerEntityId: entity, name: 'b' })));
  }
  const queryDirect: number[] = [];
  const queryRest: number[] = [];
  for (let i = 0; i < N * 3; i += 1) {
    queryDirect.push(await time(() => contract.evaluateTransaction('account:get', JSON.stringify({ accountId: `bd-${run}-0` }))));
    queryRest.push(await time(() => rest('GET', `/v1/accounts/bd-${run}-0`)));
  }

  // A chain of six accounts, five transfers: the trace walks five hops.
  const accounts = Array.from({ length: 6 }, (_, i) => `chain-${run}-${i}`);
  for (const a of accounts) await rest('POST', '/v1/accounts', { accountId: a, ownerEntityId: entity, name: a });
  const transfers: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    transfers.push(
      await time(() =>
        rest('POST', '/v1/transfers', {
          fromAccount: accounts[i],
          toAccount: accounts[i + 1],
          amount: 1000 - i,
          currency: 'CNY',
          purpose: 'goods',
          reference: '',
        }),
      ),
    );
  }
  const checks: number[] = [];
  for (let i = 0; i < N; i += 1) {
    checks.push(
      await time(() =>
        rest('POST', '/v1/transfers/check', { fromAccount: accounts[0], toAccount: accounts[1], amount: 1, currency: 'CNY', purpose: 'goods', reference: '' }),
      ),
    );
  }
  const traces: number[] = [];
  let trace: { edges: unknown[]; reads: number } = { edges: [], reads: 0 };
  for (let i = 0; i < N; i += 1) {
    traces.push(await time(async () => (trace = (await rest('GET', `/v1/traces?accountId=${accounts[0]}&direction=forward&depth=5`)) as typeof trace)));
  }

  // Credit: recording an entry (a sanction, as the regulator) and looking a grade up (as a partner bank), on an
  // entity new to this run whose file grows to N entries.
  const first17 = `915000007${String(Date.now()).slice(-8)}`;
  const subject = `${first17}${checkCharacter(first17)}`;
  const asRegulator = { authorization: `Bearer ${keys.regulator1}`, 'content-type': 'application/json' };
  const entries: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const body = { entityId: subject, legalBasis: 'bench', decisionNumber: `bench-${run}-${i}`, amount: 100, publicationDays: 30, summary: 'bench' };
    entries.push(
      await time(async () => {
        const res = await fetch(`${url}/v1/credit/sanctions`, { method: 'POST', headers: asRegulator, body: JSON.stringify(body) });
        if (res.status !== 201) throw new Error(`POST /v1/credit/sanctions: ${res.status} ${await res.text()}`);
      }),
    );
  }
  const grades: number[] = [];
  for (let i = 0; i < N * 3; i += 1) grades.push(await time(() => rest('GET', `/v1/credit/entities/${subject}`)));

  // Throughput, each path driven from a separate load process (so the load's own CPU is not the gateway's),
  // at 8 and 32 in flight; the gateway's CPU per request is measured here, where it runs.
  const loadLines: string[] = [];
  for (const kind of ['submit', 'query'] as const) {
    for (const inFlight of [8, 32]) {
      const total = kind === 'submit' ? N * 3 : N * 10;
      const measure = async (
        pathName: 'direct' | 'rest',
        phase = 'measure',
      ): Promise<{ perSecond: number; p50: number; p99: number; clientCpuMsPerRequest: number; gatewayCpuMs: number }> => {
        const cpu0 = process.cpuUsage();
        const { stdout } = await execFileAsync(process.execPath, [
          require.resolve('tsx/cli'),
          path.join(__dirname, 'load.ts'),
          ...['--path', pathName, '--kind', kind, '--in-flight', String(inFlight), '--total', String(total), '--url', url, '--key', keys.bank1 as string],
          ...['--tag', `lp-${phase}-${pathName}-${kind}-${inFlight}-${run}`, '--account', `bd-${run}-0`],
        ]);
        const cpu = process.cpuUsage(cpu0);
        return {
          ...(JSON.parse(stdout) as { perSecond: number; p50: number; p99: number; clientCpuMsPerRequest: number }),
          gatewayCpuMs: (cpu.user + cpu.system) / 1000 / total,
        };
      };
      // Each path warmed at this load first (JIT, connection windows), so neither is measured cold.
      await measure('direct', 'warm');
      await measure('rest', 'warm');
      const d = await measure('direct');
      const r = await measure('rest');
      loadLines.push(
        `${kind.padEnd(6)} ${String(inFlight).padStart(2)} in flight: direct ${d.perSecond.toFixed(0)}/s (p50 ${d.p50.toFixed(1)} ms, client CPU ${d.clientCpuMsPerRequest.toFixed(2)} ms), ` +
          `REST ${r.perSecond.toFixed(0)}/s (p50 ${r.p50.toFixed(1)} ms) = ${(r.perSecond / d.perSecond).toFixed(2)}× direct; gateway CPU ${r.gatewayCpuMs.toFixed(2)} ms per request`,
      );
    }
  }

  const p50 = (ms: number[]): number => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? NaN;
  process.stdout.write(
    [
      `regchain benchmark — one request in flight, ${os.cpus().length} cores, orderer BatchTimeout 250 ms`,
      `submit (endorse + order + commit), fabric-gateway direct: ${stats(submitDirect)}`,
      `submit through REST gateway:                          ${stats(submitRest)}`,
      `  REST overhead on submit, p50: ${(p50(submitRest) - p50(submitDirect)).toFixed(1)} ms`,
      `query (evaluate), fabric-gateway direct:              ${stats(queryDirect)}`,
      `query through REST gateway:                           ${stats(queryRest)}`,
      `  REST overhead on query, p50: ${(p50(queryRest) - p50(queryDirect)).toFixed(1)} ms`,
      `transfer record (rules checked) through REST:         ${stats(transfers)}`,
      `transfer dry-run check through REST:                  ${stats(checks)}`,
      `credit entry (a sanction) recorded through REST:      ${stats(entries)}  (file grows to ${N} entries)`,
      `credit grade lookup through REST:                     ${stats(grades)}  (file of ${N} entries)`,
      `5-hop trace through REST:                             ${stats(traces)}  edges ${trace.edges.length}, ledger range reads ${trace.reads}`,
      'throughput, load from a separate process:',
      ...loadLines,
    ].join('\n') + '\n',
  );
  direct.close();
  await app.close();
  await services.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
