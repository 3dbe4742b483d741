// Each peer org's fabric-ca-server: bootstrap credentials, and users registered and enrolled with attributes.
import { randomBytes } from 'node:crypto';
import { mspFiles } from '@regchain/fabric';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FabricInstall } from './binaries';
import { run } from './exec';
import { caTlsDir, dirs, shared, userDir } from './paths';
import { DIAL_HOST, PEER_ORGS, type PeerOrg, type UserSpec, caName } from './topology';

const secretsFile = (): string => path.join(dirs.config, 'ca-bootstrap.json');

/** The bootstrap admin secret of each CA, created once per network and kept private to this user. */
export function bootstrapSecret(org: PeerOrg): string {
  const file = secretsFile();
  const secrets: Record<string, string> = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let secret = secrets[org.key];
  if (!secret) {
    for (const o of PEER_ORGS) secrets[o.key] ??= randomBytes(18).toString('base64url');
    fs.mkdirSync(dirs.config, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    secret = secrets[org.key] as string;
  }
  return secret;
}

export const caUrl = (org: PeerOrg, credentials?: string): string => `https://${credentials ? `${credentials}@` : ''}${DIAL_HOST}:${org.ca.port}`;

export function caClientArgs(org: PeerOrg): string[] {
  return ['--caname', caName(org), '--tls.certfiles', path.join(caTlsDir(org), 'ca.crt')];
}

/** NodeOUs config so an enrolled MSP folder is usable with the peer CLI against channel role policies. */
function writeNodeOuConfig(mspDir: string): void {
  const cacert = fs.readdirSync(path.join(mspDir, 'cacerts'))[0];
  const ou = (name: string): string => `  ${name}OUIdentifier:\n    Certificate: cacerts/${cacert}\n    OrganizationalUnitIdentifier: ${name.toLowerCase()}\n`;
  fs.writeFileSync(path.join(mspDir, 'config.yaml'), `NodeOUs:\n  Enable: true\n${ou('Client')}${ou('Peer')}${ou('Admin')}${ou('Orderer')}`);
}

export interface EnrolledUser {
  readonly org: PeerOrg;
  readonly name: string;
  readonly mspDir: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export function enrolledUser(org: PeerOrg, name: string): EnrolledUser | undefined {
  const mspDir = path.join(userDir(org, name), 'msp');
  const files = mspFiles(mspDir);
  return files ? { org, name, mspDir, ...files } : undefined;
}

export async function enrollRegistrar(fabric: FabricInstall, org: PeerOrg): Promise<string> {
  // Named by MSP id under the shared layout: the gateway's admin command registers and revokes with it too.
  const home = path.join(shared.registrars, org.mspId);
  if (!fs.existsSync(path.join(home, 'msp', 'signcerts', 'cert.pem'))) {
    await run(path.join(fabric.binDir, 'fabric-ca-client'), ['enroll', '-u', caUrl(org, `admin:${bootstrapSecret(org)}`), '-H', home, ...caClientArgs(org)]);
  }
  return home;
}

/**
 * Registers a user with role and entity-id attributes in its certificate and enrols it. The secret is good for
 * one enrolment only; it is kept beside the user (owner-only) until that enrolment succeeds, so an interrupted
 * one can finish, and deleted after.
 */
export async function registerAndEnroll(fabric: FabricInstall, org: PeerOrg, user: UserSpec): Promise<EnrolledUser> {
  const existing = enrolledUser(org, user.name);
  if (existing) return existing;
  const dir = userDir(org, user.name);
  fs.mkdirSync(dir, { recursive: true });
  const secretPath = path.join(dir, 'enrollment-secret');
  const client = path.join(fabric.binDir, 'fabric-ca-client');
  let secret: string;
  if (fs.existsSync(secretPath)) {
    secret = fs.readFileSync(secretPath, 'utf8').trim();
  } else {
    secret = randomBytes(18).toString('base64url');
    fs.writeFileSync(secretPath, secret, { mode: 0o600 });
    const registrar = await enrollRegistrar(fabric, org);
    await run(client, [
      'register',
      '-u',
      caUrl(org),
      '-H',
      registrar,
      '--id.name',
      user.name,
      '--id.secret',
      secret,
      '--id.type',
      'client',
      '--id.maxenrollments',
      '1',
      '--id.attrs',
      `role=${user.role}:ecert,entityId=${user.entityId}:ecert`,
      ...caClientArgs(org),
    ]);
  }
  const mspDir = path.join(dir, 'msp');
  await run(client, ['enroll', '-u', caUrl(org, `${user.name}:${secret}`), '-M', mspDir, '-H', dir, ...caClientArgs(org)]);
  writeNodeOuConfig(mspDir);
  const enrolled = enrolledUser(org, user.name);
  if (!enrolled) throw new Error(`enrolment of ${user.name} at ${caName(org)} wrote no certificate and key`);
  fs.rmSync(secretPath, { force: true });
  return enrolled;
}

/** Enrols every user the topology names, once. */
export async function ensureUsers(fabric: FabricInstall): Promise<number> {
  let created = 0;
  await Promise.all(
    PEER_ORGS.map(async (org) => {
      // The registrar first: the gateway's admin command registers with it even when every user exists.
      await enrollRegistrar(fabric, org);
      for (const user of org.users) {
        if (enrolledUser(org, user.name)) {
          // Enrolled already: a secret left by an earlier version is of no use and is removed.
          fs.rmSync(path.join(userDir(org, user.name), 'enrollment-secret'), { force: true });
          continue;
        }
        await registerAndEnroll(fabric, org, user);
        created += 1;
      }
    }),
  );
  return created;
}
