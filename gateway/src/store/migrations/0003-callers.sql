-- The gateway's callers: who each API key is, the Fabric identity it acts as, and its custodial key (encrypted
-- by the vault; absent for a member that signs offline). The API key itself is never stored, only its SHA-256.
CREATE TABLE callers (
  caller_id text PRIMARY KEY,
  msp_id text NOT NULL,
  role text NOT NULL,
  entity_id text NOT NULL,
  api_key_hash text UNIQUE,
  certificate text NOT NULL,
  private_key jsonb,
  enrollment_id text,
  created_at text NOT NULL
);
