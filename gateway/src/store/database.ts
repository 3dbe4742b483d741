// The gateway's state in SQL: embedded PGlite in its data folder by default, PostgreSQL when given a URL, its
// schema made by the migrations beside this file.
import { type Database, migrate, openDatabase } from '@regchain/common/node';
import * as path from 'node:path';

export const GATEWAY_MIGRATIONS = path.join(__dirname, 'migrations');

/** The gateway's database, migrated: PostgreSQL at `url`, else PGlite in `dir` (in memory without either). */
export async function openGatewayDatabase(options: { url?: string | undefined; dir?: string | undefined }): Promise<Database> {
  const db = await openDatabase(options);
  try {
    await migrate(db, GATEWAY_MIGRATIONS);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
