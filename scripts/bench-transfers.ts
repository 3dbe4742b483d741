// Benchmark: transfers at the pace banks report them, through REST with 32 in flight, side by side with the
// trivial write: checked transfers from distinct payers, from one payer entity (conflicts counted), batch reports,
// and a 6-hop trace over a ledger of many transfers. Prints figures; asserts nothing.
// Run: npm run bench:transfers [-- --n 600 --background 100000]
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { benchGateway } from './bench-gateway';
import { orgByKey } from '../network/src/topology';

const { values } = parseArgs({ options: { n: { type: 'string' }, background: { type: 'string' }, 'in-flight': { type: 'string' } } });
const N = Number(values.n ?? 600);
const BACKGROUND = Number(values.background ?? 100_000);
const IN_FLIGHT = Number(values['in-flight'] ?? 32);
const run = Date.now().toString(36);
const BANK = orgByKey('bank').users[0]?.entityId as string;
/** A distinct payer entity per index: 18 characters of the credit-code alphabet. */
const entity = (i: number): string => `91500000MB${run.toUpperCase().slice(-4)}${String(i).padStart(4, '0')}`.slice(0, 18).padEnd(18, '0');

interface Outcome {
  readonly perSecond: number;
  readonly ok: number;
  readonly conflicts: number;
  readonly other: number;
  readonly p50: number;
  readonly firstError?: string;
}

const execFileAsync = promisify(execFile);

/** Sends the requests from a separate process (scripts/drive.ts), so the load's CPU is not the gateway's. */
async function measure(url: string, key: string, inFlight: number, requests: readonly { method: string; path: string; body?: unknown }[]): Promise<Outcome> {
  const file = path.join(os.tmpdir(), `regchain-drive-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify({ url, key, inFlight, requests }));
  try {
    const { stdout } = await execFileAsync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'drive.ts'), file], { maxBuffer: 1 << 24 });
    const r = JSON.parse(stdout) as { ok: number; conflicts: number; other: number; seconds: number; p50: number; firstError?: string };
    return { perSecond: r.ok / r.seconds, ok: r.ok, conflicts: r.conflicts, other: r.other, p50: r.p50, ...(r.firstError ? { firstError: r.firstError } : {}) };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  const gateway = await benchGateway('transfers');
  const { url, keys } = gateway;
  const call = async (who: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
  const must = async <T = unknown>(who: string, method: string, p: string, body?: unknown): Promise<T> => {
    const r = await call(who, method, p, body);
    if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as T;
  };

  // The compliance rules every transfer is checked against: amount, the payer's 24 h window, watchlists, round trips.
  const rules = [
    { ruleId: `large-${run}`, logic: { '>=': [{ var: 'amount' }, 5_000_000] }, action: 'ALERT' },
    { ruleId: `velocity-${run}`, logic: { '>': [{ '+': [{ var: 'window.payerSum24h' }, { var: 'amount' }] }, 50_000_000_000] }, action: 'ALERT' },
    { ruleId: `watched-${run}`, logic: { var: 'payer.watchlisted' }, action: 'BLOCK' },
    { ruleId: `roundtrip-${run}`, logic: { and: [{ var: 'pattern.roundTrip' }, { '>=': [{ var: 'amount' }, 10_000_000] }] }, action: 'ALERT' },
  ];
  for (const r of rules) await must('regulator1', 'POST', '/v1/rules', { ...r, name: r.ruleId, description: 'benchmark', severity: 'medium' });

  // Accounts: one per distinct payer, 16 of one payer entity, and a payee.
  const open = (accountId: string, ownerEntityId: string) => call('bank1', 'POST', '/v1/accounts', { accountId, ownerEntityId, name: accountId });
  for (let i = 0; i < 32; i += 1) await open(`d-${run}-${i}`, entity(i));
  for (let i = 0; i < 16; i += 1) await open(`o-${run}-${i}`, BANK);
  await open(`payee-${run}`, entity(999));
  const transfer = (from: string, i: number, tag: string) => ({
    fromAccount: from,
    toAccount: `payee-${run}`,
    amount: 1000 + i,
    currency: 'CNY',
    purpose: 'goods',
    reference: `${tag}-${run}-${i}`,
  });

  const bankKey = keys.bank1 as string;
  const post = (p: string, body: unknown) => ({ method: 'POST', path: p, body });
  const floor = await measure(
    url,
    bankKey,
    IN_FLIGHT,
    Array.from({ length: N }, (_v, i) => post('/v1/accounts', { accountId: `f-${run}-${i}`, ownerEntityId: entity(i % 32), name: 'f' })),
  );
  const distinct = await measure(
    url,
    bankKey,
    IN_FLIGHT,
    Array.from({ length: N }, (_v, i) => post('/v1/transfers', transfer(`d-${run}-${i % 32}`, i, 'd'))),
  );
  const onePayer = await measure(
    url,
    bankKey,
    IN_FLIGHT,
    Array.from({ length: N }, (_v, i) => post('/v1/transfers', transfer(`o-${run}-${i % 16}`, i, 'o'))),
  );

  // Batch reports: 500 transfers a transaction, a few transactions in flight.
  const BATCH = 500;
  const batches = Math.max(4, Math.round((N * 10) / BATCH));
  const batchOutcome = await measure(
    url,
    bankKey,
    4,
    Array.from({ length: batches }, (_v, b) =>
      post('/v1/transfers/batch', { items: Array.from({ length: BATCH }, (_w, j) => transfer(`d-${run}-${(b * BATCH + j) % 32}`, b * BATCH + j, 'b')) }),
    ),
  );
  const batchPerSecond = batchOutcome.perSecond * BATCH;

  // A 6-hop chain, then background transfers among other accounts until the ledger holds BACKGROUND of them.
  const chain = Array.from({ length: 7 }, (_v, i) => `chain-${run}-${i}`);
  for (const a of chain) await open(a, entity(100 + chain.indexOf(a)));
  for (let i = 0; i < 6; i += 1)
    await must('bank1', 'POST', '/v1/transfers', { ...transfer(chain[i] as string, i, 'c'), toAccount: chain[i + 1], amount: 10_000 - i });
  const rounds = Math.ceil(BACKGROUND / BATCH);
  const background = await measure(
    url,
    bankKey,
    4,
    Array.from({ length: rounds }, (_v, b) =>
      post('/v1/transfers/batch', { items: Array.from({ length: BATCH }, (_w, j) => transfer(`d-${run}-${(b + j) % 32}`, b * BATCH + j, 'g')) }),
    ),
  );
  const traceMs: number[] = [];
  let trace: { edges: unknown[] } = { edges: [] };
  for (let i = 0; i < 30; i += 1) {
    const s = process.hrtime.bigint();
    trace = await must<{ edges: unknown[] }>('auditor1', 'GET', `/v1/traces?accountId=${chain[0]}&direction=forward&depth=6`);
    traceMs.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  traceMs.sort((a, b) => a - b);

  const line = (name: string, o: Outcome): string =>
    `${name.padEnd(58)} ${o.perSecond.toFixed(1).padStart(7)} committed/s  ${(o.perSecond / floor.perSecond).toFixed(2)}× floor  ` +
    `409 ${o.conflicts}/${o.ok + o.conflicts + o.other}  other ${o.other}  p50 ${o.p50.toFixed(0)} ms${o.firstError ? `  first error: ${o.firstError}` : ''}`;
  process.stdout.write(
    [
      `regchain transfer benchmark — REST, ${IN_FLIGHT} in flight, ${os.cpus().length} cores, ${N} requests each`,
      line('openAccount (trivial write): the floor', floor),
      line('checked transfer, 32 distinct payer entities', distinct),
      line('transfers from 16 accounts of one entity', onePayer),
      `${'batch reports, 500 a transaction, 4 in flight'.padEnd(58)} ${batchPerSecond.toFixed(0).padStart(7)} transfers/s  (${batchOutcome.ok}/${batches} batches committed)${batchOutcome.firstError ? `  first error: ${batchOutcome.firstError}` : ''}`,
      `background load: ${background.ok * BATCH} transfers committed at ${(background.perSecond * BATCH).toFixed(0)} transfers/s`,
      `6-hop trace over the ledger: p50 ${traceMs[15]?.toFixed(1)} ms, p90 ${traceMs[27]?.toFixed(1)} ms, ${trace.edges.length} edges`,
    ].join('\n') + '\n',
  );
  await gateway.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
