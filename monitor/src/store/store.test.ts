// The index's schema: made by its migration files; an index an earlier version built (its runner kept integer
// versions) opens without running them again, and keeps what it holds.
import { openDatabase } from '@regchain/common/node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '.';

const MIGRATIONS = path.join(__dirname, 'migrations');

it('opens an index the earlier runner built, keeping its rows and applying nothing twice', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-index-'));
  try {
    const old = await openDatabase({ dir });
    await old.exec('CREATE TABLE schema_migrations (version integer PRIMARY KEY)');
    for (const [i, file] of fs.readdirSync(MIGRATIONS).sort().entries()) {
      await old.exec(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
      await old.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
    }
    await old.exec("INSERT INTO checkpoint (id, block, tx_id) VALUES (1, 41, 'tx41')");
    await old.close();

    const store = await Store.open({ dir });
    expect(await store.checkpoint()).toEqual({ block: 41n, txId: 'tx41' });
    await store.close();
    const db = await openDatabase({ dir });
    expect((await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY name')).rows.map((r) => r.name)).toEqual(fs.readdirSync(MIGRATIONS).sort());
    await db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('empties and rebuilds its schema on reset', async () => {
  const store = await Store.open({});
  await store.record({ block: 3n, txId: 't' }, [{ id: 'x', from: 'a', to: 'b', amount: 1, executedAt: 100 }], []);
  expect((await store.status()).transfers).toBe(1);
  await store.reset();
  expect(await store.status()).toMatchObject({ transfers: 0, checkpoint: undefined });
  await store.close();
});
