// A load generator in its own process, for the benchmark: drives REST or fabric-gateway directly with a fixed
// number of requests in flight, and prints one JSON line: throughput, latency percentiles, its own CPU.
//   tsx scripts/load.ts --path rest|direct --kind submit|query --in-flight N --total M [--url U --key K] --tag T
import { parseArgs } from 'node:util';
import { connectAs } from '../network/src/client';
import { CHAINCODE_NAME, CHANNEL, orgByKey } from '../network/src/topology';

const { values } = parseArgs({
  options: {
    path: { type: 'string' },
    kind: { type: 'string' },
    'in-flight': { type: 'string' },
    total: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    tag: { type: 'string' },
    account: { type: 'string' },
  },
});

const inFlight = Number(values['in-flight'] ?? 8);
const total = Number(values.total ?? 200);
const tag = values.tag ?? Date.now().toString(36);
const entity = orgByKey('enterprise').users[0]?.entityId as string;
const account = values.account ?? '';

async function main(): Promise<void> {
  let one: (i: number) => Promise<unknown>;
  let close = (): void => undefined;
  if (values.path === 'direct') {
    const connection = connectAs(orgByKey('bank'), 'bank1');
    close = () => connection.close();
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    one =
      values.kind === 'submit'
        ? (i) => contract.submitTransaction('account:open', JSON.stringify({ accountId: `${tag}-${i}`, ownerEntityId: entity, name: 'l' }))
        : () => contract.evaluateTransaction('account:get', JSON.stringify({ accountId: account }));
  } else {
    const headers = { authorization: `Bearer ${values.key ?? ''}`, 'content-type': 'application/json' };
    const call = async (method: string, p: string, body?: unknown): Promise<void> => {
      const res = await fetch(`${values.url ?? ''}${p}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    one =
      values.kind === 'submit'
        ? (i) => call('POST', '/v1/accounts', { accountId: `${tag}-${i}`, ownerEntityId: entity, name: 'l' })
        : () => call('GET', `/v1/accounts/${account}`);
  }
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next++;
        const s = process.hrtime.bigint();
        await one(i);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  close();
  process.stdout.write(
    `${JSON.stringify({ perSecond: total / seconds, p50: at(0.5), p99: at(0.99), clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / total })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
