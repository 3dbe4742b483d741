// The gateway's state in SQL: embedded PGlite in its data folder by default, PostgreSQL when given a URL, its
// schema made by the migrations beside this file. One database a gateway, shared by what keeps state in it
// (idempotency keys, upload progress), opened in the background so the services are made at once.
import { type Database, migrate, openDatabase } from '@regchain/common/node';
import * as path from 'node:path';

export const GATEWAY_MIGRATIONS = path.join(__dirname, 'migrations');

export class GatewayDatabase {
  readonly #opening: Promise<Database>;
  #closed = false;

  /** PostgreSQL at `url`, else PGlite in `dir` (in memory without either); migrated before its first use. */
  constructor(options: { url?: string | undefined; dir?: string | undefined }) {
    this.#opening = (async () => {
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
    this.#opening.catch(() => undefined);
  }

  /** The database once open and migrated; a gateway that cannot open it does not start. */
  ready(): Promise<Database> {
    return this.#opening;
  }

  async close(): Promise<void> {
    const db = await this.#opening.catch(() => undefined);
    if (this.#closed || !db) return;
    this.#closed = true;
    await db.close();
  }
}
