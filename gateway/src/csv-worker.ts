// Checks an uploaded transfers CSV off the gateway's event loop, as its bytes arrive: the gateway's thread passes
// the request's chunks on and receives only the count and the problems; the good rows go straight to the
// upload's items file (one JSON object a line).
import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { checkTransfersCsv } from './csv';

const { itemsFile } = workerData as { itemsFile: string };
const input = new PassThrough();
parentPort?.on('message', (m: { chunk?: Uint8Array; end?: true }) => {
  if (m.chunk) input.write(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
  if (m.end) input.end();
});

void (async () => {
  const out = fs.createWriteStream(itemsFile, { mode: 0o600 });
  const result = await checkTransfersCsv(input, (item, line) => void out.write(`${JSON.stringify({ line, item })}\n`));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (result.problems.length > 0) fs.rmSync(itemsFile, { force: true });
  parentPort?.postMessage(result);
})();
