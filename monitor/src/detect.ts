// npm run detect -- FILE.csv --out flagged.json [--labels labels.csv] [--parameters parameters.json]
//   [--lateness SECONDS]: back-tests the typology detectors on a CSV of transfers, without a network.
// npm run detect -- --sample DIR [--seed N] [--days N] [--people N] [--instances N]: writes a labelled set.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { backtest } from './backtest';
import { CsvError, labelsCsv, readLabels, transfersCsv } from './csv';
import { evaluate } from './evaluate';
import { DEFAULT_TYPOLOGY_PARAMETERS, TypologyParameters } from '@regchain/common';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { labelledSet } from './synthetic';
import { TYPOLOGIES } from './transfer';

const USAGE = `usage: npm run detect -- FILE.csv --out flagged.json [--labels labels.csv] [--parameters parameters.json] [--lateness SECONDS]
       npm run detect -- --sample DIR [--seed N] [--days N] [--people N] [--instances N]`;

function progressBar(total: number): (bytes: number, transfers: number) => void {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let last = 0;
  let lastDecile = -1;
  return (bytes, transfers) => {
    const share = total > 0 ? Math.min(1, bytes / total) : 1;
    const now = Date.now();
    const rate = Math.round(transfers / Math.max(0.001, (now - started) / 1000));
    const line = `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${String(Math.round(share * 100)).padStart(3)}%  ${transfers.toLocaleString('en')} transfers  ${rate.toLocaleString('en')}/s`;
    if (tty) {
      if (now - last < 200 && share < 1) return;
      last = now;
      process.stderr.write(`\r${line}${share >= 1 ? '\n' : ''}`);
    } else if (Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

/** A parameters file names what it changes; the rest keeps its default. The result is checked against the schema. */
function readParameters(file: string | undefined): Parameters {
  if (!file) return DEFAULT_PARAMETERS;
  const given = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...DEFAULT_TYPOLOGY_PARAMETERS };
  for (const [k, v] of Object.entries(given)) {
    const base = merged[k];
    merged[k] = typeof base === 'object' && base !== null && typeof v === 'object' && v !== null ? { ...base, ...v } : v;
  }
  const problems = [...Value.Errors(TypologyParameters, merged)].slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return { ...(merged as TypologyParameters), version: DEFAULT_PARAMETERS.version };
}

async function sample(dir: string, values: Record<string, string | undefined>): Promise<void> {
  const n = (k: string, d: number): number => (values[k] === undefined ? d : Number(values[k]));
  const set = labelledSet({ seed: n('seed', 1), days: n('days', 150), people: n('people', 1000), instances: n('instances', 20) });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'transfers.csv'), transfersCsv(set.transfers));
  fs.writeFileSync(path.join(dir, 'labels.csv'), labelsCsv(set.labels));
  process.stdout.write(
    `wrote ${set.transfers.length} transfers to ${path.join(dir, 'transfers.csv')} and ${set.labels.length} labels to ${path.join(dir, 'labels.csv')}\n`,
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      labels: { type: 'string' },
      parameters: { type: 'string' },
      lateness: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      people: { type: 'string' },
      instances: { type: 'string' },
    },
  });
  if (values.sample) return sample(values.sample, values);
  const file = positionals[0];
  if (!file || !values.out) throw new Error(USAGE);
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const result = await backtest(file, {
    parameters: readParameters(values.parameters),
    ...(values.lateness ? { lateness: Number(values.lateness) } : {}),
    onProgress: progressBar(fs.statSync(file).size),
  });
  fs.writeFileSync(values.out, `${JSON.stringify({ transactions: result.transactions, alerts: result.alerts }, null, 1)}\n`);
  const out: string[] = [
    `${result.transfers.toLocaleString('en')} transfers in ${result.seconds.toFixed(1)} s (${Math.round(result.transfers / result.seconds).toLocaleString('en')}/s); the window held at most ${result.peakWindow.toLocaleString('en')}`,
    `${result.alerts.length} alerts, ${result.transactions.length} transfers flagged → ${values.out}`,
    '',
    `${'typology'.padEnd(20)} ${'alerts'.padStart(7)} ${'flagged'.padStart(8)}`,
  ];
  for (const typology of TYPOLOGIES) {
    const mine = result.alerts.filter((a) => a.typology === typology);
    out.push(`${typology.padEnd(20)} ${String(mine.length).padStart(7)} ${String(new Set(mine.flatMap((a) => a.transfers)).size).padStart(8)}`);
  }
  if (values.labels) {
    out.push('', `${'typology'.padEnd(20)} ${'recall'.padStart(7)} ${'found'.padStart(9)} ${'precision'.padStart(10)} ${'correct'.padStart(11)}`);
    for (const s of evaluate(result.alerts as { typology: (typeof TYPOLOGIES)[number]; transfers: string[] }[], await readLabels(values.labels))) {
      out.push(
        `${s.typology.padEnd(20)} ${s.recall.toFixed(3).padStart(7)} ${`${s.found}/${s.instances}`.padStart(9)} ${s.precision.toFixed(3).padStart(10)} ${`${s.correct}/${s.flagged}`.padStart(11)}`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof CsvError || err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
