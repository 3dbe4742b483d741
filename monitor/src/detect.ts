// npm run detect -- INPUT [--format F] [--labels labels.csv] [--parameters params.json] [--skip-invalid]
//   [--lateness SECONDS] --out flagged.json: back-tests the typology detectors on labelled transfers, no network.
// npm run detect -- --fit INPUT... [--format F] [--skip-invalid] [--rounds N] --out params.json: fits the
//   published parameters to labelled sets, printing cross-validated scores per typology.
// npm run detect -- --sample DIR [--seed N] [--days N] [--people N] [--instances N]: writes a labelled set.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { backtest } from './backtest';
import { CsvError, labelsCsv, transfersCsv } from './csv';
import { evaluate, type Score } from './evaluate';
import { asFlagged, crossValidate, fit, load, run } from './fit';
import { type Format, FORMATS, type Input, openInput } from './formats';
import { DEFAULT_PARAMETERS, type Parameters, withDefaults } from './parameters';
import { labelledSet } from './synthetic';
import { TYPOLOGIES } from './transfer';

const USAGE = `usage: npm run detect -- INPUT [--format ${FORMATS.join('|')}] [--labels labels.csv] [--parameters params.json] [--skip-invalid] [--lateness SECONDS] --out flagged.json
       npm run detect -- --fit INPUT... [--format F] [--skip-invalid] [--rounds N] --out params.json
       npm run detect -- --sample DIR [--seed N] [--days N] [--people N] [--instances N]
INPUT is a file or the folder a generator wrote: the project's transfers.csv (+ labels.csv), AMLSim's output
folder (transactions.csv and alert_transactions.csv, plain or .gz) or AMLworld's *_Trans.csv (+ *_Patterns.txt).`;

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
  try {
    return withDefaults(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>, DEFAULT_PARAMETERS.version);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

async function sample(dir: string, values: Record<string, string | boolean | undefined>): Promise<void> {
  const n = (k: string, d: number): number => {
    if (values[k] === undefined) return d;
    const v = Number(values[k]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k}: a whole number from 1`);
    return v;
  };
  const set = labelledSet({ seed: n('seed', 1), days: n('days', 150), people: n('people', 1000), instances: n('instances', 20) });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'transfers.csv'), transfersCsv(set.transfers));
  fs.writeFileSync(path.join(dir, 'labels.csv'), labelsCsv(set.labels));
  process.stdout.write(
    `wrote ${set.transfers.length} transfers to ${path.join(dir, 'transfers.csv')} and ${set.labels.length} labels to ${path.join(dir, 'labels.csv')}\n`,
  );
}

/** The format of an input, as told or as its files show. */
function formatOf(where: string, told: string | undefined): Format {
  if (told !== undefined) {
    if (!(FORMATS as readonly string[]).includes(told)) throw new Error(`--format ${told}: one of ${FORMATS.join(', ')}`);
    return told as Format;
  }
  if (fs.existsSync(where) && fs.statSync(where).isDirectory()) {
    const files = fs.readdirSync(where);
    if (files.some((f) => /^transactions\.csv(\.gz)?$/.test(f))) return 'amlsim';
    if (files.some((f) => /_Trans\.csv(\.gz)?$/.test(f))) return 'amlworld';
  } else if (/_Trans\.csv(\.gz)?$/.test(where)) return 'amlworld';
  return 'regchain';
}

/** Rows passed over, told on stderr: the first twenty with their lines and reasons, then how many more. */
function tellSkipped(input: Input): void {
  if (input.skipped.length === 0) return;
  const shown = input.skipped.slice(0, 20).map((s) => `  ${s.file}:${s.line}: ${s.reason}`);
  const more = input.skipped.length > 20 ? [`  … and ${input.skipped.length - 20} more`] : [];
  process.stderr.write(`skipped ${input.skipped.length} invalid rows:\n${[...shown, ...more].join('\n')}\n`);
}

function scoreTable(scores: readonly Score[]): string[] {
  const out = [
    `${'typology'.padEnd(20)} ${'recall'.padStart(7)} ${'found'.padStart(9)} ${'precision'.padStart(10)} ${'correct'.padStart(11)} ${'tx recall'.padStart(10)} ${'F1'.padStart(6)}`,
  ];
  for (const s of scores) {
    if (s.instances === 0 && s.flagged === 0) continue;
    out.push(
      `${s.typology.padEnd(20)} ${s.recall.toFixed(3).padStart(7)} ${`${s.found}/${s.instances}`.padStart(9)} ${s.precision.toFixed(3).padStart(10)} ${`${s.correct}/${s.flagged}`.padStart(11)} ${s.transactionRecall.toFixed(3).padStart(10)} ${s.f1.toFixed(3).padStart(6)}`,
    );
  }
  return out;
}

async function fitCommand(inputs: readonly string[], values: Record<string, string | boolean | undefined>, out: string): Promise<void> {
  const sets = [];
  for (const where of inputs) {
    const input = openInput(where, { format: formatOf(where, values.format as string | undefined), skipInvalid: values['skip-invalid'] === true });
    sets.push(await load(path.basename(path.resolve(where)), input));
    tellSkipped(input);
    process.stderr.write(`read ${where}: ${sets[sets.length - 1]?.transfers.length.toLocaleString('en')} transfers\n`);
  }
  const start = readParameters(values.parameters as string | undefined);
  const rounds = values.rounds === undefined ? 2 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: a whole number from 1 to 10');
  const lines: string[] = [];
  const onFold = (heldOut: string, fold: number, folds: number): void =>
    void process.stderr.write(`cross-validation ${fold}/${folds}: fitting without ${heldOut}\n`);
  for (const fold of crossValidate(sets, start, { rounds, onFold }))
    lines.push('', `held out: ${fold.heldOut} (fitted on the others)`, ...scoreTable(fold.scores));
  process.stderr.write(`fitting on all ${sets.length} sets\n`);
  const { parameters, score } = fit(sets, start, { rounds, onStep: (knob, v, s) => process.stderr.write(`  ${knob} = ${v} → ${s.toFixed(4)}\n`) });
  const { version: _version, ...published } = parameters;
  fs.writeFileSync(out, `${JSON.stringify(published, null, 2)}\n`);
  lines.push('', `fitted on all ${sets.length} sets (objective ${score.toFixed(4)}) → ${out}`);
  for (const set of sets) lines.push('', `in sample: ${set.name}`, ...scoreTable(evaluate(asFlagged(run(set, parameters)), set.labels)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      labels: { type: 'string' },
      parameters: { type: 'string' },
      lateness: { type: 'string' },
      format: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      fit: { type: 'boolean' },
      rounds: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      people: { type: 'string' },
      instances: { type: 'string' },
    },
  });
  if (values.sample) return sample(values.sample, values);
  if (positionals.length === 0 || !values.out) throw new Error(USAGE);
  if (values.fit) return fitCommand(positionals, values, values.out);
  if (positionals.length > 1) throw new Error(`one INPUT at a time (${positionals.length} given)\n${USAGE}`);
  const where = positionals[0] as string;
  const lateness = values.lateness === undefined ? undefined : Number(values.lateness);
  if (lateness !== undefined && !(Number.isInteger(lateness) && lateness >= 0)) throw new Error('--lateness: a whole number of seconds');
  let bytes = 0;
  const input = openInput(where, {
    format: formatOf(where, values.format),
    skipInvalid: values['skip-invalid'] === true,
    ...(values.labels ? { labels: values.labels } : {}),
    onBytes: (read) => (bytes = read),
  });
  const progress = progressBar(input.files.size);
  const result = await backtest(input, {
    parameters: readParameters(values.parameters),
    ...(lateness !== undefined ? { lateness } : {}),
    onProgress: (transfers) => progress(bytes, transfers),
  });
  tellSkipped(input);
  fs.writeFileSync(values.out, `${JSON.stringify({ transactions: result.transactions, alerts: result.alerts, skipped: input.skipped }, null, 1)}\n`);
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
  const labels = await input.labels();
  if (labels.length > 0) out.push('', ...scoreTable(evaluate(result.alerts as { typology: (typeof TYPOLOGIES)[number]; transfers: string[] }[], labels)));
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof CsvError || err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
