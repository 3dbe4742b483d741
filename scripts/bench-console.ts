// The console's first load and its heavier screens, in Debian's Chromium against a running gateway (npm start's):
// bytes over the wire (compressed, cold cache) and the time until the screen can be used. Prints figures.
//   npm run bench:console -- [--url http://127.0.0.1:3000] [--runs 5]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { stateDir } from '@regchain/common/node';

const { values } = parseArgs({ options: { url: { type: 'string' }, runs: { type: 'string' } }, strict: true });
const base = values.url ?? `http://127.0.0.1:${process.env.REGCHAIN_GATEWAY_PORT ?? 3000}`;
const runs = Number(values.runs ?? '5');
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a whole number from 1');
const keys = JSON.parse(fs.readFileSync(path.join(stateDir(), 'gateway', 'dev-api-keys.json'), 'utf8')) as Record<string, string>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Bytes the page fetched over the wire so far (headers and compressed bodies), and how many requests. */
async function transferred(page: Page): Promise<{ bytes: number; requests: number }> {
  // Evaluated in the page (its own DOM types are not this script's).
  return page.evaluate(`(() => {
    const entries = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    return { bytes: entries.reduce((s, e) => s + e.transferSize, nav.transferSize), requests: entries.length + 1 };
  })()`);
}

/** Two accounts and a transfer between them (bank1), for the flows screen to draw. */
async function seedTrace(): Promise<string> {
  const run = Date.now().toString(36);
  const post = async (url: string, body: unknown): Promise<void> => {
    const res = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.bank1}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  };
  const bank = '91500000MA5U0BNK10';
  for (const side of ['from', 'to']) await post('/v1/accounts', { accountId: `bench-console-${side}-${run}`, ownerEntityId: bank, name: side });
  await post('/v1/transfers', {
    fromAccount: `bench-console-from-${run}`,
    toAccount: `bench-console-to-${run}`,
    amount: 100,
    currency: 'CNY',
    purpose: 'goods',
    reference: `bench-console-${run}`,
  });
  return `bench-console-from-${run}`;
}

async function main(): Promise<void> {
  const start = await seedTrace();
  const browser = await chromium.launch({
    executablePath: process.env.REGCHAIN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-background-networking'],
  });
  const first: { ms: number; bytes: number; requests: number }[] = [];
  const stats: { ms: number; bytes: number }[] = [];
  const flows: { ms: number; bytes: number }[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      // bypassCSP lets the script evaluate its own probes in the page; what loads is the same.
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      let t = Date.now();
      await page.goto(`${base}/console/`);
      await page.locator('#api-key').waitFor();
      first.push({ ms: Date.now() - t, ...(await transferred(page)) });

      await page.locator('#api-key').fill(keys.regulator1 as string);
      await page.locator('rc-signin button[type=submit]').click();
      await page.getByTestId('who').waitFor();
      let before = (await transferred(page)).bytes;
      t = Date.now();
      await page.goto(`${base}/console/#/statistics`);
      await page.waitForFunction(`document.querySelectorAll('.chart canvas').length >= 5`, undefined, { timeout: 60_000 });
      stats.push({ ms: Date.now() - t, bytes: (await transferred(page)).bytes - before });

      before = (await transferred(page)).bytes;
      t = Date.now();
      // The graph library loads with the first trace drawn.
      await page.goto(`${base}/console/#/trace?accountId=${start}`);
      await page.waitForFunction(
        `performance.getEntriesByType('resource').some((e) => e.name.includes('cytoscape')) && document.querySelector('#flow-graph canvas') !== null`,
        undefined,
        { timeout: 30_000 },
      );
      flows.push({ ms: Date.now() - t, bytes: (await transferred(page)).bytes - before });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
  console.log(`console at ${base}/console/, ${runs} cold loads in Chromium (medians)`);
  console.log(
    `  first load to the sign-in form: ${median(first.map((x) => x.ms))} ms, ${kb(median(first.map((x) => x.bytes)))} over the wire in ${median(first.map((x) => x.requests))} requests`,
  );
  console.log(`  statistics (ECharts loaded on the way): ${median(stats.map((x) => x.ms))} ms to 5 charts, ${kb(median(stats.map((x) => x.bytes)))} more`);
  console.log(`  fund flows (Cytoscape.js loaded with the first trace): ${median(flows.map((x) => x.ms))} ms, ${kb(median(flows.map((x) => x.bytes)))} more`);
}

void main();
