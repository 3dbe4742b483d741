// Callers of the REST API and the Fabric identities behind them: API keys stored hashed, private keys encrypted at rest.
import { hash, type Identity, type Signer, signers } from '@hyperledger/fabric-gateway';
import { nativeSigning, type Signing } from '@regchain/fabric';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Role } from '@regchain/common';
import { ownerSecret } from '@regchain/common/node';
import { JsonStore } from '../store';

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

export class CallerRegistry {
  readonly #store: JsonStore<Caller>;
  readonly #vault: Vault;
  /** Decrypted signers, by caller id and the certificate they sign for: a rotated caller gets a new one. */
  readonly #signers = new Map<string, { certificate: string; signing: Signing }>();
  readonly #byKeyHash = new Map<string, Caller>();

  constructor(dataDir: string, vault: Vault) {
    this.#store = new JsonStore<Caller>(dataDir, 'callers');
    this.#vault = vault;
    this.#index();
  }

  #index(): void {
    this.#byKeyHash.clear();
    for (const c of this.#store.values()) if (c.apiKeyHash) this.#byKeyHash.set(c.apiKeyHash, c);
    for (const [id, s] of this.#signers) if (this.#store.get(id)?.certificate !== s.certificate) this.#signers.delete(id);
  }

  /** Registers a caller; returns its API key, which is not stored and cannot be shown again. */
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
    await this.#store.set(spec.id, caller);
    this.#index();
    return { caller, ...(apiKey ? { apiKey } : {}) };
  }

  /** Re-encrypts every custodial key under another vault, in one write; the caller then replaces the key file. */
  async reencrypt(next: Vault): Promise<number> {
    let n = 0;
    await this.#store.transform((c) => {
      if (!c.key) return c;
      n += 1;
      return { ...c, key: next.encrypt(this.#vault.decrypt(c.key)) };
    });
    return n;
  }

  /** Removes a caller: its API key and custodial key stop working at once, here and in a running gateway. */
  async revoke(id: string): Promise<Caller | undefined> {
    const caller = this.#store.get(id);
    if (!caller) return undefined;
    await this.#store.delete(id);
    this.#index();
    return caller;
  }

  get(id: string): Caller | undefined {
    return this.#store.get(id);
  }

  list(): Caller[] {
    return this.#store.values();
  }

  /**
   * The caller holding this API key. Every call checks whether the admin command changed the store (one
   * stat), so a created, rotated or revoked caller takes effect at once, without a restart.
   */
  authenticate(apiKey: string): Caller | undefined {
    if (this.#store.reloadIfChanged()) this.#index();
    return this.#byKeyHash.get(hashApiKey(apiKey));
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
