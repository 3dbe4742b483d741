// The callers table: one row a caller, found by id or by the hash of its API key. The vault's encryption and
// the API keys themselves stay in fabric/identities.ts; this file only moves rows.
import type { Role } from '@regchain/common';
import type { Sql } from '@regchain/common/node';
import type { Caller, EncryptedKey } from '../fabric/identities';

interface CallerRow {
  caller_id: string;
  msp_id: string;
  role: Role;
  entity_id: string;
  api_key_hash: string | null;
  certificate: string;
  private_key: EncryptedKey | string | null;
  enrollment_id: string | null;
  created_at: string;
}

const COLUMNS = 'caller_id, msp_id, role, entity_id, api_key_hash, certificate, private_key, enrollment_id, created_at';

function callerOf(r: CallerRow): Caller {
  const key = typeof r.private_key === 'string' ? (JSON.parse(r.private_key) as EncryptedKey) : r.private_key;
  return {
    id: r.caller_id,
    mspId: r.msp_id,
    role: r.role,
    entityId: r.entity_id,
    ...(r.api_key_hash ? { apiKeyHash: r.api_key_hash } : {}),
    certificate: r.certificate,
    ...(key ? { key } : {}),
    ...(r.enrollment_id ? { enrollmentId: r.enrollment_id } : {}),
    createdAt: r.created_at,
  };
}

/** Adds a caller, or replaces the one of that id (a re-keyed caller): its old API key stops working at once. */
export async function putCaller(sql: Sql, c: Caller, { replace = true } = {}): Promise<void> {
  await sql.query(
    `INSERT INTO callers (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (caller_id) DO ${
       replace
         ? `UPDATE SET msp_id = EXCLUDED.msp_id, role = EXCLUDED.role, entity_id = EXCLUDED.entity_id, api_key_hash = EXCLUDED.api_key_hash,
           certificate = EXCLUDED.certificate, private_key = EXCLUDED.private_key, enrollment_id = EXCLUDED.enrollment_id, created_at = EXCLUDED.created_at`
         : 'NOTHING'
     }`,
    [c.id, c.mspId, c.role, c.entityId, c.apiKeyHash ?? null, c.certificate, c.key ? JSON.stringify(c.key) : null, c.enrollmentId ?? null, c.createdAt],
  );
}

export async function callerById(sql: Sql, id: string): Promise<Caller | undefined> {
  const row = (await sql.query<CallerRow>(`SELECT ${COLUMNS} FROM callers WHERE caller_id = $1`, [id])).rows[0];
  return row && callerOf(row);
}

export async function callerByKeyHash(sql: Sql, apiKeyHash: string): Promise<Caller | undefined> {
  const row = (await sql.query<CallerRow>(`SELECT ${COLUMNS} FROM callers WHERE api_key_hash = $1`, [apiKeyHash])).rows[0];
  return row && callerOf(row);
}

export async function allCallers(sql: Sql): Promise<Caller[]> {
  return (await sql.query<CallerRow>(`SELECT ${COLUMNS} FROM callers ORDER BY caller_id`)).rows.map(callerOf);
}

/** Removes a caller; answers what it was. */
export async function deleteCaller(sql: Sql, id: string): Promise<Caller | undefined> {
  const row = (await sql.query<CallerRow>(`DELETE FROM callers WHERE caller_id = $1 RETURNING ${COLUMNS}`, [id])).rows[0];
  return row && callerOf(row);
}

export async function setCallerKey(sql: Sql, id: string, key: EncryptedKey): Promise<void> {
  await sql.query('UPDATE callers SET private_key = $2 WHERE caller_id = $1', [id, JSON.stringify(key)]);
}
