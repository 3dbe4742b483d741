// Registering, enrolling and revoking callers at an org's CA, the one the connection profile names, through
// Fabric's own fabric-ca-client and a registrar identity the operator provides.
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Role } from '@regchain/common';
import { type CaEndpoint, mspFiles } from '@regchain/fabric';

export class CaError extends Error {
  override readonly name = 'CaError';
}

export interface Enrolment {
  readonly certificate: string;
  readonly privateKey: string;
}

export interface NewIdentity {
  readonly name: string;
  readonly role: Role;
  readonly entityId: string;
}

export class CertificateAuthority {
  readonly #endpoint: CaEndpoint;
  readonly #client: string;
  readonly #registrar: string;

  /**
   * @param client the fabric-ca-client binary
   * @param registrarHome a fabric-ca-client home whose msp/ holds an identity allowed to register and revoke clients
   */
  constructor(endpoint: CaEndpoint, client: string, registrarHome: string) {
    this.#endpoint = endpoint;
    this.#client = client;
    this.#registrar = registrarHome;
  }

  /** Registers a client with the role and entity as certificate attributes; its secret is good for one enrolment. */
  async register(identity: NewIdentity): Promise<string> {
    const secret = crypto.randomBytes(18).toString('base64url');
    await this.#run(this.#asRegistrar(), [
      'register',
      '--id.name',
      identity.name,
      '--id.secret',
      secret,
      '--id.type',
      'client',
      '--id.maxenrollments',
      '1',
      '--id.attrs',
      `role=${identity.role}:ecert,entityId=${identity.entityId}:ecert`,
    ]);
    return secret;
  }

  /** Enrols into a scratch folder and hands back certificate and key; nothing of it stays on disk. */
  async enroll(name: string, secret: string): Promise<Enrolment> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-enrol-'));
    try {
      const url = new URL(this.#endpoint.url);
      url.username = encodeURIComponent(name);
      url.password = encodeURIComponent(secret);
      await this.#run(home, ['enroll', '-u', url.toString().replace(/\/$/, ''), '-M', path.join(home, 'msp')]);
      const files = mspFiles(path.join(home, 'msp'));
      if (!files) throw new CaError(`enrolment of ${name} at ${this.#endpoint.name} wrote no certificate or private key`);
      return { certificate: fs.readFileSync(files.certPath, 'utf8'), privateKey: fs.readFileSync(files.keyPath, 'utf8') };
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }

  /** Registers and enrols in one go. */
  async issue(identity: NewIdentity): Promise<Enrolment> {
    return this.enroll(identity.name, await this.register(identity));
  }

  /** Revokes every certificate of the enrolment id and returns the CA's new CRL (PEM), for the channel's MSP. */
  async revoke(enrollmentId: string): Promise<string> {
    const home = this.#asRegistrar();
    await this.#run(home, ['revoke', '-e', enrollmentId, '-r', 'keycompromise', '--gencrl']);
    return fs.readFileSync(path.join(home, 'msp', 'crls', 'crl.pem'), 'utf8');
  }

  #asRegistrar(): string {
    if (!fs.existsSync(path.join(this.#registrar, 'msp', 'signcerts'))) {
      throw new CaError(
        `no registrar identity in ${this.#registrar}: put there (as msp/) the MSP folder of an identity of ${this.#endpoint.name} allowed to register clients`,
      );
    }
    return this.#registrar;
  }

  async #run(home: string, args: readonly string[]): Promise<void> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-ca-'));
    try {
      const tls: string[] = [];
      if (this.#endpoint.tlsRootPem) {
        fs.writeFileSync(path.join(scratch, 'tls-root.pem'), this.#endpoint.tlsRootPem);
        tls.push('--tls.certfiles', path.join(scratch, 'tls-root.pem'));
      }
      const url = args.includes('-u') ? [] : ['-u', this.#endpoint.url];
      const caName = this.#endpoint.caName ? ['--caname', this.#endpoint.caName] : [];
      await new Promise<void>((resolve, reject) => {
        execFile(this.#client, [...args, ...url, '-H', home, ...caName, ...tls], { timeout: 60_000 }, (err, _stdout, stderr) => {
          if (!err) return resolve();
          const said = stderr
            .trim()
            .split('\n')
            .slice(-3)
            .join(' ')
            .replace(/\S+:\S+@/g, '');
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new CaError(
              missing
                ? `fabric-ca-client not found at ${this.#client}: install Fabric's client tools or set REGCHAIN_FABRIC_CA_CLIENT`
                : `${this.#endpoint.name} refused "${args[0]}": ${said || err.message}`,
            ),
          );
        });
      });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}
