// The embedded SQL database the services keep their state in: PGlite in a folder by default (no server),
// PostgreSQL when given a URL; the same SQL and the same migrations on both. Migrations are SQL files applied in
// order by umzug, each in one transaction with its record, so a crash leaves none half-applied.
import { PGlite } from '@electric-sql/pglite';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { Umzug } from 'umzug';

/** What both databases offer: parameterised queries, and SQL scripts of several statements. */
export interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(script: string): Promise<void>;
}

export interface Database extends Sql {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgresql';
}

async function pglite(dir: string | undefined): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    kind: 'pglite',
    query: (text, params) => db.query(text, params),
    exec: async (script) => void (await db.exec(script)),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => tx.query(text, params), exec: async (script) => void (await tx.exec(script)) })),
    close: () => db.close(),
  };
}

function postgresql(url: string, statementTimeoutMs: number): Database {
  // A query that runs past the timeout is cancelled by the server: one heavy query cannot hold a connection.
  const pool = new Pool({ connectionString: url, max: 4, statement_timeout: statementTimeoutMs });
  return {
    kind: 'postgresql',
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await pool.query(text, params)).rows as T[] }),
    exec: async (script) => void (await pool.query(script)),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({
          query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }),
          exec: async (script) => void (await client.query(script)),
        });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PostgreSQL at `url` when given, else PGlite in `dir` (in memory without one). */
export async function openDatabase(options: { url?: string | undefined; dir?: string | undefined; statementTimeoutMs?: number }): Promise<Database> {
  return options.url ? postgresql(options.url, options.statementTimeoutMs ?? 15_000) : pglite(options.dir);
}

/**
 * Applies the SQL files of `dir` (named NNNN-what.sql, in name order) that the database has not had yet, each
 * with its record in one transaction; answers the names applied. `legacyVersions` names a table of integer
 * versions an earlier runner kept: version N stands for the Nth file, recorded once as applied.
 */
export async function migrate(db: Database, dir: string, options: { legacyVersions?: string } = {}): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort();
  await db.exec('CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  if (options.legacyVersions) await adoptLegacy(db, options.legacyVersions, files);
  const umzug = new Umzug<Database>({
    context: db,
    logger: undefined,
    migrations: files.map((file) => ({
      name: file,
      up: ({ context }) =>
        context.transaction(async (tx) => {
          await tx.exec(fs.readFileSync(path.join(dir, file), 'utf8'));
          await tx.query('INSERT INTO migrations (name) VALUES ($1)', [file]);
        }),
    })),
    storage: {
      // The migration records itself inside its own transaction (above).
      logMigration: async () => undefined,
      unlogMigration: async ({ name, context }) => void (await context.query('DELETE FROM migrations WHERE name = $1', [name])),
      executed: async ({ context }) => (await context.query<{ name: string }>('SELECT name FROM migrations ORDER BY name')).rows.map((r) => r.name),
    },
  });
  return (await umzug.up()).map((m) => m.name);
}

async function adoptLegacy(db: Database, table: string, files: readonly string[]): Promise<void> {
  const exists = (await db.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [table])).rows[0]?.found;
  if (!exists) return;
  const versions = (await db.query<{ version: number }>(`SELECT version FROM ${table}`)).rows.map((r) => Number(r.version));
  for (const v of versions) {
    const file = files[v - 1];
    if (file) await db.query('INSERT INTO migrations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [file]);
  }
}
