// Callers of the REST API and the Fabric identities behind them: API keys stored hashed, private keys encrypted at rest.
import { hash, type Identity, type Signer, signers } from '@hyperledger/fabric-gateway';
import { nativeSigning, type Signing } from '@regchain/fabric';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Role } from '@regchain/common';
import { ownerSecret } from '@regchain/common/node';
import type { Database } from '@regchain/common/node';
import { allCallers, callerById, callerByKeyHash, deleteCaller, putCaller, setCallerKey } from '../store/callers';
import type { GatewayDatabase } from '../store/database';

export interface EncryptedKey {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export interface Caller {
  readonly id: string;
  readonly mspId: string;
  readonly role: Role;
  readonly entityId: string;
  /** SHA-256 of the API key; the key itself is shown once, at creation. Absent for internal identities. */
  readonly apiKeyHash?: string;
  readonly certificate: string;
  /** The custodial private key, encrypted; absent when the member signs offline and keeps its key. */
  readonly key?: EncryptedKey;
  /** The name the org's CA enrolled the certificate under, when it did: what revocation at the CA needs. */
  readonly enrollmentId?: string;
  readonly createdAt: string;
}

export const hashApiKey = (apiKey: string): string => crypto.createHash('sha256').update(apiKey).digest('hex');

/** AES-256-GCM with a key derived from the gateway secret. */
export class Vault {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = crypto.scryptSync(secret, 'regchain-gateway-vault', 32);
  }

  /**
   * The secret from the environment, else from its own key file (owner-only, in its own directory, never
   * beside the store it protects), generated on first use.
   */
  static open(secretFile: string, secret: string | undefined, legacyFile?: string): Vault {
    if (secret) return new Vault(secret);
    fs.mkdirSync(path.dirname(secretFile), { recursive: true, mode: 0o700 });
    // Earlier versions kept the secret beside the store: move it out.
    if (legacyFile && !fs.existsSync(secretFile) && fs.existsSync(legacyFile)) fs.renameSync(legacyFile, secretFile);
    return new Vault(ownerSecret(secretFile));
  }

  encrypt(plain: string): EncryptedKey {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  decrypt(sealed: EncryptedKey): string {
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  }
}

export interface NewCaller {
  readonly id: string;
  /** The MSP the certificate belongs to. */
  readonly mspId: string;
  readonly role: Role;
  readonly entityId: string;
  readonly certificate: string;
  /** PEM private key for a custodial caller; omit for a member that signs offline. */
  readonly privateKey?: string;
  /** Give the caller an API key (internal identities such as the public lookup have none). */
  readonly withApiKey: boolean;
  readonly enrollmentId?: string;
}

/** What managing callers takes: the registry in the gateway's process, or the admin socket of a running gateway. */
export interface CallerAdmin {
  add(spec: NewCaller): Promise<{ caller: Caller; apiKey?: string }>;
  revoke(id: string): Promise<Caller | undefined>;
  get(id: string): Promise<Caller | undefined>;
  list(): Promise<Caller[]>;
}

/** How long another gateway's change to a shared database may take to reach this one. */
export const SHARED_TRUST_MS = 1000;

/** The name an earlier version's callers file is given once its callers are in the database. */
export const LEGACY_CALLERS = 'callers.json';

export class CallerRegistry implements CallerAdmin {
  readonly #database: GatewayDatabase;
  readonly #vault: Vault;
  readonly #legacyFile: string | undefined;
  #opening: Promise<Database> | undefined;
  /** Decrypted signers, by caller id and the certificate they sign for: a rotated caller gets a new one. */
  readonly #signers = new Map<string, { certificate: string; signing: Signing }>();
  /** Callers found by API key hash, and when: a lookup is a query, and every request makes one. */
  readonly #byKeyHash = new Map<string, { caller: Caller; at: number }>();
  /**
   * How long a caller found stays trusted without asking again. Embedded PGlite is written by this process
   * alone (the admin command comes through its socket), so every change clears the cache here: forever. A
   * shared PostgreSQL is written by other gateways too: a second.
   */
  readonly #trustMs: number;

  /**
   * Callers in the gateway's database; an earlier version's `callers.json` in `dataDir` is moved in on first
   * use and then deleted (it holds encrypted keys and key hashes a revoked caller must not leave behind).
   */
  constructor(database: GatewayDatabase, vault: Vault, dataDir?: string) {
    this.#database = database;
    this.#vault = vault;
    this.#legacyFile = dataDir && path.join(dataDir, LEGACY_CALLERS);
    this.#trustMs = database.shared ? SHARED_TRUST_MS : Number.POSITIVE_INFINITY;
  }

  #changed(id: string): void {
    this.#signers.delete(id);
    this.#byKeyHash.clear();
  }

  #db(): Promise<Database> {
    this.#opening ??= (async () => {
      const db = await this.#database.ready();
      const file = this.#legacyFile;
      if (file && fs.existsSync(file)) {
        const old = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Caller>;
        await db.transaction(async (tx) => {
          for (const c of Object.values(old)) await putCaller(tx, c, { replace: false });
        });
        fs.rmSync(file);
      }
      return db;
    })();
    // A failed open is tried again by the next call, not remembered.
    this.#opening.catch(() => (this.#opening = undefined));
    return this.#opening;
  }

  /** Registers a caller (replacing one of the same id); returns its API key, which is not stored and cannot be shown again. */
  async add(spec: NewCaller): Promise<{ caller: Caller; apiKey?: string }> {
    const apiKey = spec.withApiKey ? `rgc_${crypto.randomBytes(24).toString('base64url')}` : undefined;
    const caller: Caller = {
      id: spec.id,
      mspId: spec.mspId,
      role: spec.role,
      entityId: spec.entityId,
      ...(apiKey ? { apiKeyHash: hashApiKey(apiKey) } : {}),
      certificate: spec.certificate,
      ...(spec.privateKey ? { key: this.#vault.encrypt(spec.privateKey) } : {}),
      ...(spec.enrollmentId ? { enrollmentId: spec.enrollmentId } : {}),
      createdAt: new Date().toISOString(),
    };
    await putCaller(await this.#db(), caller);
    this.#changed(caller.id);
    return { caller, ...(apiKey ? { apiKey } : {}) };
  }

  /** Re-encrypts every custodial key under another vault, in one SQL transaction; the caller then replaces the key file. */
  async reencrypt(next: Vault): Promise<number> {
    const db = await this.#db();
    return db.transaction(async (tx) => {
      let n = 0;
      for (const c of await allCallers(tx)) {
        if (!c.key) continue;
        await setCallerKey(tx, c.id, next.encrypt(this.#vault.decrypt(c.key)));
        n += 1;
      }
      return n;
    });
  }

  /** Removes a caller: its API key and custodial key stop working at once here, within a second in other gateways. */
  async revoke(id: string): Promise<Caller | undefined> {
    const caller = await deleteCaller(await this.#db(), id);
    this.#changed(id);
    return caller;
  }

  async get(id: string): Promise<Caller | undefined> {
    return callerById(await this.#db(), id);
  }

  async list(): Promise<Caller[]> {
    return allCallers(await this.#db());
  }

  /**
   * The caller holding this API key. A caller created, re-keyed or revoked takes effect at once in this
   * gateway, and within a second in others sharing its PostgreSQL. Unknown keys are not remembered.
   */
  async authenticate(apiKey: string, now = Date.now()): Promise<Caller | undefined> {
    const keyHash = hashApiKey(apiKey);
    const known = this.#byKeyHash.get(keyHash);
    if (known && now - known.at < this.#trustMs) return known.caller;
    const caller = await callerByKeyHash(await this.#db(), keyHash);
    if (caller) this.#byKeyHash.set(keyHash, { caller, at: now });
    else this.#byKeyHash.delete(keyHash);
    return caller;
  }

  identity(caller: Caller): Identity {
    return { mspId: caller.mspId, credentials: Buffer.from(caller.certificate) };
  }

  /**
   * How the caller signs, decrypting its key once: Node's own ECDSA over the message fabric-gateway hands it
   * (see @regchain/fabric's signing); undefined for a caller that signs offline.
   */
  signing(caller: Caller): Signing | undefined {
    if (!caller.key) return undefined;
    const cached = this.#signers.get(caller.id);
    if (cached?.certificate === caller.certificate) return cached.signing;
    const key = crypto.createPrivateKey(this.#vault.decrypt(caller.key));
    // A P-256 key (what Fabric CAs issue) signs natively; any other with fabric-gateway's signer of SHA-256 digests.
    const native = key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    const signing = native ? nativeSigning(key) : { signer: signers.newPrivateKeySigner(key), hash: hash.sha256 };
    this.#signers.set(caller.id, { certificate: caller.certificate, signing });
    return signing;
  }

  /** The caller's signer (of what its connection's hash hands it); undefined for a caller that signs offline. */
  signer(caller: Caller): Signer | undefined {
    return this.signing(caller)?.signer;
  }
}
