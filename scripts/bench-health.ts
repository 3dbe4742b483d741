// Benchmark: the gateway's health answer while one member uploads 32 MiB of junk rows and another runs 16 heavy
// traces, against the health answer at rest. Probe and load run in processes of their own. Prints figures;
// asserts nothing. Run: npm run bench:health [-- --seconds 20]
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { benchGateway } from './bench-gateway';
import { orgByKey } from '../network/src/topology';

const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 20);
const run = Date.now().toString(36);
const BANK = orgByKey('bank').users[0]?.entityId as string;
const execFileAsync = promisify(execFile);
const helper = (...args: string[]) =>
  execFileAsync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'health-probe.ts'), ...args], { maxBuffer: 1 << 26 });

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const summary = (xs: readonly number[]): string =>
  `${xs.length} answers: p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

async function main(): Promise<void> {
  const gateway = await benchGateway('health');
  const { url, keys, dataDir } = gateway;
  const must = async (who: string, method: string, p: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as unknown;
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  // A web of 2,000 transfers among 40 accounts for the traces to walk.
  const accounts = Array.from({ length: 40 }, (_v, i) => `hb-${run}-${i}`);
  for (const accountId of accounts) await must('bank1', 'POST', '/v1/accounts', { accountId, ownerEntityId: BANK, name: 'h' });
  for (let b = 0; b < 4; b += 1) {
    const items = Array.from({ length: 500 }, (_v, i) => ({
      fromAccount: accounts[(b * 500 + i) % 40],
      toAccount: accounts[(b * 500 + i * 7 + 1) % 40],
      amount: 100 + i,
      currency: 'CNY',
      purpose: `hb_${run}`,
      reference: `hb-${run}-${b}-${i}`,
    }));
    await must('bank1', 'POST', '/v1/transfers/batch', { items, mode: 'partial' });
  }
  const junk = path.join(dataDir, 'junk.csv');
  const row = 'J-000000,acc-a,acc-b,not-fen,yesterday\n';
  fs.writeFileSync(junk, `reference,payerAccount,payeeAccount,amount,executedAt\n${row.repeat(Math.floor((32 * 1024 * 1024 - 60) / row.length))}`);
  const plan = path.join(dataDir, 'plan.json');
  fs.writeFileSync(
    plan,
    JSON.stringify({
      url,
      requests: [
        { method: 'POST', path: '/v1/transfers/uploads', key: keys.bank1, contentType: 'text/csv', bodyFile: junk },
        ...Array.from({ length: 16 }, (_v, i) => ({
          method: 'GET',
          path: `/v1/traces?accountId=${accounts[i % 40]}&direction=forward&depth=6&maxEdges=5000&maxNodes=1000`,
          key: keys.regulator1,
        })),
      ],
    }),
  );

  const idle = JSON.parse((await helper('probe', url, String(Math.min(5, SECONDS)))).stdout) as number[];
  const probing = helper('probe', url, String(SECONDS));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const t0 = Date.now();
  const loaded = JSON.parse((await helper('load', plan)).stdout) as number[];
  const loadSeconds = (Date.now() - t0) / 1000;
  const underLoad = JSON.parse((await probing).stdout) as number[];
  process.stdout.write(
    [
      'gateway health (GET /health every 20 ms, from another process)',
      `  at rest:                                   ${summary(idle)}`,
      `  32 MiB junk upload + 16 six-hop traces:    ${summary(underLoad)}`,
      `  the load's answers: upload ${loaded[0]}, traces ${[...new Set(loaded.slice(1))].join('/')} (all done in ${loadSeconds.toFixed(1)} s)`,
      '',
    ].join('\n'),
  );
  await gateway.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:health: ${(err as Error).message}\n`);
  process.exit(1);
});
