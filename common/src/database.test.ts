// Migrations: applied once each in name order, each whole or not at all, and an earlier runner's versions adopted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrate, openDatabase } from './database';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-migrations-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, sql: string): void => fs.writeFileSync(path.join(dir, name), sql);
const tables = async (db: Awaited<ReturnType<typeof openDatabase>>): Promise<string[]> =>
  (await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);

it('applies each file once, in name order, with statements split by the database and not by us', async () => {
  write('0001-a.sql', "CREATE TABLE a (v text); INSERT INTO a VALUES ('x;y');");
  write('0002-b.sql', 'CREATE TABLE b (v text);\nALTER TABLE a ADD COLUMN w integer NOT NULL DEFAULT 1;');
  write('notes.txt', 'not a migration');
  const db = await openDatabase({});
  try {
    expect(await migrate(db, dir)).toEqual(['0001-a.sql', '0002-b.sql']);
    expect(await migrate(db, dir)).toEqual([]);
    expect((await db.query<{ v: string; w: number }>('SELECT v, w FROM a')).rows).toEqual([{ v: 'x;y', w: 1 }]);
    write('0003-c.sql', 'CREATE TABLE c (v text);');
    expect(await migrate(db, dir)).toEqual(['0003-c.sql']);
    expect(await tables(db)).toEqual(['a', 'b', 'c', 'migrations']);
  } finally {
    await db.close();
  }
});

it('leaves nothing of a migration that fails half-way, and applies it once it is fixed', async () => {
  write('0001-a.sql', 'CREATE TABLE a (v text);');
  write('0002-b.sql', 'CREATE TABLE b (v text); INSERT INTO nowhere VALUES (1);');
  const db = await openDatabase({});
  try {
    await expect(migrate(db, dir)).rejects.toThrow(/nowhere/);
    expect(await tables(db)).toEqual(['a', 'migrations']);
    expect((await db.query('SELECT name FROM migrations')).rows).toEqual([{ name: '0001-a.sql' }]);
    write('0002-b.sql', 'CREATE TABLE b (v text);');
    expect(await migrate(db, dir)).toEqual(['0002-b.sql']);
  } finally {
    await db.close();
  }
});

it("adopts an earlier runner's integer versions as the first files, once", async () => {
  write('0001-a.sql', 'CREATE TABLE a (v text);');
  write('0002-b.sql', 'CREATE TABLE b (v text);');
  const db = await openDatabase({});
  try {
    await db.exec('CREATE TABLE a (v text); CREATE TABLE schema_migrations (version integer PRIMARY KEY); INSERT INTO schema_migrations VALUES (1);');
    expect(await migrate(db, dir, { legacyVersions: 'schema_migrations' })).toEqual(['0002-b.sql']);
    expect(await migrate(db, dir, { legacyVersions: 'schema_migrations' })).toEqual([]);
  } finally {
    await db.close();
  }
});
