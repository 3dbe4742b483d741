// The event stream against a fake channel: unreadable events are skipped and counted, slow readers are dropped.
import { sleep } from '@regchain/common';
import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { FastifyInstance } from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, type LedgerPort } from '../../../app';
import { loadConfig } from '../../../config';
import { createMetrics, type Metrics } from '../../../metrics';
import { gatewayState } from '../../../test/harness';

const event = (n: number, eventName: string, payload: unknown): ChaincodeEvent => ({
  blockNumber: BigInt(n),
  transactionId: crypto.createHash('sha256').update(String(n)).digest('hex'),
  chaincodeName: 'regchain',
  eventName,
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
});

/** A channel whose event feed is the given list; remembers whether the stream was closed. */
function channelOf(events: ChaincodeEvent[]): { ledger: LedgerPort; closed: () => boolean } {
  let closed = false;
  const feed = (): CloseableAsyncIterable<ChaincodeEvent> => ({
    async *[Symbol.asyncIterator]() {
      for (const e of events) {
        if (closed) return;
        yield e;
      }
      await new Promise(() => undefined);
    },
    close() {
      closed = true;
    },
    [Symbol.dispose]() {
      closed = true;
    },
  });
  // Opening takes a moment, as a peer's deliver service does: parallel opens interleave.
  const ledger = { chaincodeEvents: async () => new Promise((resolve) => setTimeout(() => resolve(feed()), 30)) } as unknown as LedgerPort;
  return { ledger, closed: () => closed };
}

async function gatewayWith(
  events: ChaincodeEvent[],
  bufferBytes: number,
): Promise<{ app: FastifyInstance; url: string; key: string; metrics: Metrics; closed: () => boolean }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-sse-'));
  const state = gatewayState(dir, 's');
  const { callers } = state;
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { apiKey } = await callers.add({
    id: 'reg',
    mspId: 'RegulatorMSP',
    role: 'regulator',
    entityId: 'x',
    certificate: 'c',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    withApiKey: true,
  });
  const { ledger, closed } = channelOf(events);
  const metrics = createMetrics();
  const app = await buildApp({
    config: { ...loadConfig({}), dataDir: dir, logLevel: 'silent', streamBufferBytes: bufferBytes },
    ledger,
    metrics,
    ...state,
  });
  // The database closes with the app: nothing of it outlives the test file.
  app.addHook('onClose', () => state.database.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`, key: apiKey as string, metrics, closed };
}

describe('event stream', () => {
  it('skips and counts what it cannot read, and delivers what follows', async () => {
    const good = event(3, 'regchain', { txId: 'x', events: [{ type: 'AccountOpened', accountId: 'a' }] });
    const gw = await gatewayWith(
      [event(1, 'ProbeRecorded', { probeId: 'p' }), event(2, 'regchain', 'not json'), event(2, 'regchain', { txId: 'y' }), good],
      1 << 20,
    );
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/events`, { headers: { authorization: `Bearer ${gw.key}` }, signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes(good.transactionId)) text += Buffer.from((await reader.read()).value ?? []).toString('utf8');
    controller.abort();
    expect(text).toContain(`id: 3:${good.transactionId}`);
    expect(text).toContain('"type":"AccountOpened"');
    const metrics = await gw.metrics.registry.metrics();
    for (const reason of ['foreign-name', 'not-json', 'bad-shape']) expect(metrics).toContain(`regchain_stream_events_skipped_total{reason="${reason}"} 1`);
    await gw.app.close();
  });

  it('holds each caller to its cap when many streams are opened at once', async () => {
    const g = await gatewayWith([event(1, 'regchain', { events: [] })], 1 << 20);
    const max = loadConfig({}).maxStreamsPerCaller;
    const controllers = Array.from({ length: max + 3 }, () => new AbortController());
    const answers = await Promise.all(
      controllers.map((c) => fetch(`${g.url}/v1/events`, { headers: { authorization: `Bearer ${g.key}` }, signal: c.signal }).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(max);
    expect(answers.filter((s) => s === 429)).toHaveLength(3);
    for (const c of controllers) c.abort();
    await g.app.close();
  });

  it('drops a reader that stops reading instead of buffering without bound', async () => {
    const big = 'x'.repeat(32 * 1024);
    const events = Array.from({ length: 2000 }, (_, i) => event(i + 1, 'regchain', { txId: 't', events: [{ type: 'Big', data: big }] }));
    const gw = await gatewayWith(events, 256 * 1024);
    const { port } = new URL(gw.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET /v1/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${gw.key}\r\n\r\n`);
    socket.pause();
    const deadline = Date.now() + 10_000;
    while (!gw.closed() && Date.now() < deadline) await sleep(50);
    expect(gw.closed()).toBe(true);
    expect(await gw.metrics.registry.metrics()).toContain('regchain_stream_drops_total 1');
    socket.destroy();
    await gw.app.close();
  });
});
