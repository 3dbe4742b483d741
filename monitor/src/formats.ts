// Labelled transfers from the formats a regulator scores a monitor on: the project's own CSV (the gateway's
// upload, with a labels file), IBM AMLSim's output folder and IBM AMLworld's transaction CSV. Each row becomes a
// `Transfer` or a reason it cannot; with `skipInvalid` a bad row is reported and passed over, not fatal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CsvError, readLabels, readTransfers, rows } from './csv';
import type { Label } from './synthetic';
import type { Transfer, Typology } from './transfer';

export const FORMATS = ['regchain', 'amlsim', 'amlworld'] as const;
export type Format = (typeof FORMATS)[number];

export interface Skipped {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface InputOptions {
  readonly format?: Format;
  /** Report and pass over rows that cannot be read, instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** A labels file for the project's format (`reference,alertId,typology`). */
  readonly labels?: string;
  readonly onBytes?: (read: number) => void;
}

/** A labelled input: its transfers in file order, its labels, and the rows passed over. */
export interface Input {
  readonly files: { readonly transfers: string; readonly size: number };
  transfers(): AsyncGenerator<Transfer>;
  /** Available once `transfers()` has been read through (AMLworld's labels come with its rows). */
  labels(): Promise<Label[]>;
  readonly skipped: Skipped[];
}

/** The first of `names` (plain or gzipped) in a folder. */
function inFolder(folder: string, names: readonly string[]): string | undefined {
  for (const name of names) for (const file of [name, `${name}.gz`]) if (fs.existsSync(path.join(folder, file))) return path.join(folder, file);
  return undefined;
}

/** An amount in currency units with up to two decimals, as whole minor units. */
function minorUnits(text: string): number | string {
  if (!/^[0-9]{1,13}(\.[0-9]{1,2})?$/.test(text)) return `amount ${JSON.stringify(text)} is not a sum with at most two decimals`;
  const [whole, cents = ''] = text.split('.') as [string, string?];
  const value = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  return value > 0 ? value : `amount ${JSON.stringify(text)} is not positive`;
}

/** Seconds since the epoch of a time in UTC, or a reason it is not one. */
function seconds(text: string, pattern: RegExp, toIso: (m: RegExpExecArray) => string): number | string {
  const m = pattern.exec(text);
  const millis = m ? Date.parse(toIso(m)) : Number.NaN;
  return Number.isFinite(millis) ? Math.floor(millis / 1000) : `time ${JSON.stringify(text)} is not in the format's form`;
}

/** AMLSim's alert types as the project's typologies (its `random` has no counterpart and is left unlabelled). */
const AMLSIM_TYPES: Readonly<Record<string, Typology>> = {
  fan_in: 'fan-in',
  fan_out: 'fan-out',
  cycle: 'cycle',
  scatter_gather: 'scatter-gather',
  gather_scatter: 'gather-scatter',
  bipartite: 'bipartite',
  stack: 'stacked-layering',
};

/** AMLworld's laundering pattern names (its `*_Patterns.txt`) as the project's typologies. */
const AMLWORLD_TYPES: Readonly<Record<string, Typology>> = {
  'FAN-IN': 'fan-in',
  'FAN-OUT': 'fan-out',
  CYCLE: 'cycle',
  'SCATTER-GATHER': 'scatter-gather',
  'GATHER-SCATTER': 'gather-scatter',
  BIPARTITE: 'bipartite',
  STACK: 'stacked-layering',
};

class Reader {
  readonly skipped: Skipped[] = [];
  constructor(readonly skipInvalid: boolean) {}

  /** A row's transfer, or the reason it is not one: skipped (and told) or thrown. */
  take(file: string, line: number, made: Transfer | string): Transfer | undefined {
    if (typeof made !== 'string') return made;
    if (!this.skipInvalid) throw new CsvError(file, line, made);
    this.skipped.push({ file, line, reason: made });
    return undefined;
  }
}

function transferOf(id: string, from: string, to: string, amount: number | string, at: number | string): Transfer | string {
  if (!id) return 'the row has no transaction id';
  if (typeof amount === 'string') return amount;
  if (typeof at === 'string') return at;
  if (!from || !to || from === to) return 'payer and payee must be two different accounts';
  return { id, from, to, amount, executedAt: at };
}

const ISO_DAY = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)?(Z|[+-]00:00)?$/;

function amlsim(folder: string, options: InputOptions): Input {
  const transfers = inFolder(folder, ['transactions.csv']);
  const alerts = inFolder(folder, ['alert_transactions.csv']);
  if (!transfers || !alerts) throw new Error(`${folder}: an AMLSim output folder holds transactions.csv and alert_transactions.csv (plain or .gz)`);
  const reader = new Reader(options.skipInvalid ?? false);
  const seen = new Set<string>();
  return {
    files: { transfers, size: fs.statSync(transfers).size },
    skipped: reader.skipped,
    async *transfers() {
      const columns = ['tran_id', 'orig_acct', 'bene_acct', 'base_amt', 'tran_timestamp'];
      for await (const { line, row } of rows(transfers, columns, options.onBytes)) {
        const id = row.tran_id ?? '';
        const made = seen.has(id)
          ? `transaction ${id} appears twice`
          : transferOf(
              id,
              row.orig_acct ?? '',
              row.bene_acct ?? '',
              minorUnits(row.base_amt ?? ''),
              seconds(row.tran_timestamp ?? '', ISO_DAY, (m) => `${m[1]}${m[2] ?? 'T00:00:00'}Z`),
            );
        const t = reader.take(transfers, line, made);
        if (t) {
          seen.add(t.id);
          yield t;
        }
      }
    },
    async labels() {
      const out: Label[] = [];
      for await (const { line, row } of rows(alerts, ['alert_id', 'alert_type', 'tran_id'])) {
        const typology = AMLSIM_TYPES[row.alert_type ?? ''];
        if (!typology) {
          reader.take(alerts, line, `alert type ${JSON.stringify(row.alert_type)} has no typology here; the row is left unlabelled`);
          continue;
        }
        out.push({ reference: row.tran_id ?? '', alertId: `amlsim-${row.alert_id ?? ''}`, typology });
      }
      return out;
    },
  };
}

const AMLWORLD_COLUMNS = [
  'timestamp',
  'fromBank',
  'fromAccount',
  'toBank',
  'toAccount',
  'amountReceived',
  'receivingCurrency',
  'amountPaid',
  'paymentCurrency',
  'paymentFormat',
  'isLaundering',
] as const;
const AMLWORLD_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/;

/**
 * AMLworld (IBM's AML-Data, e.g. HI-Small_Trans.csv): rows have no id, so a transfer's reference is its line
 * (`L` and the number); accounts are bank and account; the amount is what was paid, in the payer's currency's
 * minor units. Laundering rows are labelled; a `*_Patterns.txt` beside the file names their typologies and
 * groups them into attempts, and without it each laundering row is its own instance of `unlabelled`.
 */
function amlworld(file: string, options: InputOptions): Input {
  const reader = new Reader(options.skipInvalid ?? false);
  const laundering: { reference: string; key: string }[] = [];
  const keyOf = (r: Record<string, string | undefined>): string =>
    [r.timestamp, r.fromBank, r.fromAccount, r.toBank, r.toAccount, r.amountPaid, r.paymentCurrency].join('|');
  return {
    files: { transfers: file, size: fs.statSync(file).size },
    skipped: reader.skipped,
    async *transfers() {
      for await (const { line, row } of rows(file, AMLWORLD_COLUMNS, options.onBytes, AMLWORLD_COLUMNS)) {
        const made = transferOf(
          `L${line}`,
          `${row.fromBank ?? ''}:${row.fromAccount ?? ''}`,
          `${row.toBank ?? ''}:${row.toAccount ?? ''}`,
          minorUnits(Number(row.amountPaid ?? '').toFixed(2)),
          seconds(row.timestamp ?? '', AMLWORLD_TIME, (m) => `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`),
        );
        const t = reader.take(file, line, made);
        if (t && row.isLaundering === '1') laundering.push({ reference: t.id, key: keyOf(row) });
        if (t) yield t;
      }
    },
    async labels() {
      const patterns = file.replace(/_Trans\.csv(\.gz)?$/, '_Patterns.txt');
      const attempts = new Map<string, { alertId: string; typology: Typology }>();
      if (patterns !== file && fs.existsSync(patterns)) {
        let current: { alertId: string; typology: Typology } | undefined;
        let n = 0;
        for (const line of fs.readFileSync(patterns, 'utf8').split('\n')) {
          const begin = /^BEGIN LAUNDERING ATTEMPT - ([A-Z-]+)/.exec(line);
          if (begin) {
            n += 1;
            const typology = AMLWORLD_TYPES[begin[1] as string];
            current = typology ? { alertId: `amlworld-${n}`, typology } : undefined;
          } else if (line.startsWith('END LAUNDERING ATTEMPT')) current = undefined;
          else if (current && line.trim()) {
            const cells = line.trim().split(',');
            const r = Object.fromEntries(AMLWORLD_COLUMNS.map((c, i) => [c, cells[i]]));
            attempts.set(keyOf(r), current);
          }
        }
      }
      return laundering.flatMap(({ reference, key }) => {
        const attempt = attempts.get(key);
        return attempt ? [{ reference, ...attempt }] : [];
      });
    },
  };
}

function regchain(file: string, options: InputOptions): Input {
  let transfers = file;
  let labels = options.labels;
  if (fs.statSync(file).isDirectory()) {
    transfers = inFolder(file, ['transfers.csv']) ?? path.join(file, 'transfers.csv');
    labels ??= inFolder(file, ['labels.csv']);
  }
  if (!fs.existsSync(transfers)) throw new Error(`${transfers}: no such file`);
  const skipped: Skipped[] = [];
  return {
    files: { transfers, size: fs.statSync(transfers).size },
    skipped,
    transfers: () =>
      readTransfers(transfers, options.onBytes, options.skipInvalid ? (line, reason) => skipped.push({ file: transfers, line, reason }) : undefined),
    labels: async () => (labels ? readLabels(labels) : []),
  };
}

/** The input at `where` (a file or a generator's folder) in `format`: the project's own unless told. */
export function openInput(where: string, options: InputOptions = {}): Input {
  if (!fs.existsSync(where)) throw new Error(`${where}: no such file or folder`);
  const format = options.format ?? 'regchain';
  if (format === 'amlsim') {
    if (!fs.statSync(where).isDirectory()) return amlsim(path.dirname(where), options);
    return amlsim(where, options);
  }
  if (format === 'amlworld') {
    const file = fs.statSync(where).isDirectory() ? fs.readdirSync(where).find((f) => /_Trans\.csv(\.gz)?$/.test(f)) : where;
    if (!file) throw new Error(`${where}: an AMLworld folder holds a *_Trans.csv file`);
    return amlworld(fs.statSync(where).isDirectory() ? path.join(where, file) : file, options);
  }
  return regchain(where, options);
}
