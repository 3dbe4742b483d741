// The health benchmark's two outside processes, so neither the probe nor the load shares the gateway's thread:
//   tsx scripts/health-probe.ts probe URL SECONDS      GET /health every 20 ms; prints the latencies (ms) as JSON
//   tsx scripts/health-probe.ts load FILE              sends the plan's requests at once; prints each status as JSON
//     (FILE: { url, requests: [{ method, path, key, contentType?, bodyFile?, body? }] })
import * as fs from 'node:fs';

interface Plan {
  readonly url: string;
  readonly requests: readonly { method: string; path: string; key: string; contentType?: string; bodyFile?: string; body?: unknown }[];
}

async function probe(url: string, seconds: number): Promise<void> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}/health`);
    await res.text();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
}

async function load(file: string): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as Plan;
  const statuses = await Promise.all(
    plan.requests.map(async (r) => {
      const body = r.bodyFile ? fs.readFileSync(r.bodyFile) : r.body === undefined ? undefined : JSON.stringify(r.body);
      const res = await fetch(`${plan.url}${r.path}`, {
        method: r.method,
        headers: { authorization: `Bearer ${r.key}`, 'content-type': r.contentType ?? 'application/json' },
        ...(body === undefined ? {} : { body }),
      });
      await res.text();
      return res.status;
    }),
  );
  process.stdout.write(`${JSON.stringify(statuses)}\n`);
}

const [mode, a, b] = process.argv.slice(2);
(mode === 'probe' ? probe(a as string, Number(b)) : load(a as string)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
