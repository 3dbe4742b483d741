// A load driver in its own process, for the benchmarks: sends the requests of a JSON file with a fixed number in
// flight and prints one JSON line: committed (2xx), conflicts (409), others, seconds, p50, the first error.
//   tsx scripts/drive.ts FILE   (FILE: { url, key, inFlight, requests: [{ method, path, body? }] })
import * as fs from 'node:fs';

interface Plan {
  readonly url: string;
  readonly key: string;
  readonly inFlight: number;
  readonly requests: readonly { readonly method: string; readonly path: string; readonly body?: unknown }[];
}

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as Plan;
  const headers = { authorization: `Bearer ${plan.key}`, 'content-type': 'application/json' };
  let next = 0;
  let ok = 0;
  let conflicts = 0;
  let other = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: plan.inFlight }, async () => {
      while (next < plan.requests.length) {
        const r = plan.requests[next++];
        if (!r) break;
        const s = process.hrtime.bigint();
        const res = await fetch(`${plan.url}${r.path}`, { method: r.method, headers, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) });
        const text = await res.text();
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (res.status < 300) ok += 1;
        else if (res.status === 409) conflicts += 1;
        else {
          other += 1;
          firstError ??= `${res.status} ${text.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ ok, conflicts, other, seconds, p50: latencies[Math.floor(latencies.length / 2)] ?? 0, firstError })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
