// Checks an uploaded transfers CSV off the gateway's event loop: the rows go straight to the upload's items file
// (one JSON object a line); the gateway's thread receives only the count and the problems.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { checkTransfersCsv } from './csv';

const { bytes, itemsFile } = workerData as { bytes: Uint8Array; itemsFile: string };

void (async () => {
  const out = fs.createWriteStream(itemsFile, { mode: 0o600 });
  const result = await checkTransfersCsv(bytes, (item, line) => void out.write(`${JSON.stringify({ line, item })}\n`));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (result.problems.length > 0) fs.rmSync(itemsFile, { force: true });
  parentPort?.postMessage(result);
})();
