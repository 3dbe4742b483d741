// The gateway's state in SQL: embedded PGlite in its data folder by default, PostgreSQL when given a URL, its
// schema made by the migrations beside this file. One database a gateway, shared by what keeps state in it
// (idempotency keys, upload progress), opened on first use, so services made only to manage callers never open it.
import { type Database, migrate, openDatabase } from '@regchain/common/node';
import * as path from 'node:path';

export const GATEWAY_MIGRATIONS = path.join(__dirname, 'migrations');

export class GatewayDatabase {
  readonly #options: { url?: string | undefined; dir?: string | undefined };
  #opening: Promise<Database> | undefined;
  #closed = false;

  /** PostgreSQL at `url`, else PGlite in `dir` (in memory without either); opened and migrated on first use. */
  constructor(options: { url?: string | undefined; dir?: string | undefined }) {
    this.#options = options;
  }

  /** Whether other processes may write it too (PostgreSQL); embedded PGlite is this process's alone. */
  get shared(): boolean {
    return Boolean(this.#options.url);
  }

  /** The database once open and migrated; a gateway that cannot open it does not start. */
  ready(): Promise<Database> {
    if (this.#closed) return Promise.reject(new Error('the gateway database is closed'));
    this.#opening ??= this.#open(this.#options);
    return this.#opening;
  }

  #open(options: { url?: string | undefined; dir?: string | undefined }): Promise<Database> {
    const opening = (async () => {
      const db = await openDatabase(options);
      try {
        await migrate(db, GATEWAY_MIGRATIONS);
      } catch (err) {
        await db.close();
        throw err;
      }
      return db;
    })();
    // A failure is heard by whoever waits for the database (the server's start), not as an unhandled rejection.
    opening.catch(() => undefined);
    return opening;
  }

  /** Closes the database if it was opened; nothing opens it again. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const db = await this.#opening?.catch(() => undefined);
    await db?.close();
  }
}
