// Gateway administration: callers for the network's users, callers created, revoked and re-keyed. Works against
// any network: the CAs come from the connection profile, the registrars and tools from the settings.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { isRole } from '@regchain/common';
import { loadConfig } from '../config';
import { bootstrapCallers, certificateAuthority } from '../fabric/bootstrap';
import { CaError } from '../fabric/ca';
import { type CallerAdmin, CallerRegistry, Vault } from '../fabric/identities';
import { GatewayDatabase } from '../store/database';
import { ProfileError } from '@regchain/fabric';
import { AdminClient, AdminSocketError } from './socket';

/** A mistake the operator can fix: its message says how; no stack trace. */
class AdminError extends Error {}

const done = (message: string): void => void process.stderr.write(`✔ ${message}\n`);

const USAGE = `usage: gateway-admin <command>
  bootstrap                     callers for the network's users (API keys in <data>/dev-api-keys.json) and the public lookup identity
  create-caller --msp MSPID --name NAME --role ROLE --entity USCC [--offline-cert cert.pem]
                                enrol a caller at its org's CA (custodial key, encrypted) or register a member's own certificate
  rotate-vault                  re-encrypt every custodial key under a new vault secret and replace the key file (stop the gateway first)
  revoke-caller --name NAME     remove a caller (its API key and custodial key stop working at once, also in a running gateway)
                                and revoke its certificate at its org's CA; the CA's new CRL is written for the channel's MSP
  list                          callers, their orgs and roles`;

/** A command's flags, strictly: an unknown flag, or one without its value, is refused with the usage. */
function flags<K extends string>(args: readonly string[], names: readonly K[]): Partial<Record<K, string>> {
  try {
    const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Partial<Record<K, string>>;
  } catch (err) {
    throw new AdminError(`${(err as Error).message}\n${USAGE}`);
  }
}

/**
 * Runs `fn` over the callers: through the running gateway's admin socket when one answers (embedded PGlite is
 * one process's), else over the gateway's database directly, closed after.
 */
async function withCallers<T>(fn: (callers: CallerAdmin) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const remote = await AdminClient.connect(config.dataDir);
  if (remote) return fn(remote);
  return withRegistry((registry) => fn(registry));
}

/** The registry over the gateway's database, opened here: only while no gateway holds it (vault rotation). */
async function withRegistry<T>(fn: (registry: CallerRegistry) => Promise<T>, vault?: Vault): Promise<T> {
  const config = loadConfig();
  const database = new GatewayDatabase({ url: config.databaseUrl, dir: path.join(config.dataDir, 'db') });
  try {
    return await fn(
      new CallerRegistry(database, vault ?? Vault.open(config.secretFile, config.secret, path.join(config.dataDir, 'vault.secret')), config.dataDir),
    );
  } finally {
    await database.close();
  }
}

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const keysFile = path.join(config.dataDir, 'dev-api-keys.json');
  const known = fs.existsSync(keysFile) ? (JSON.parse(fs.readFileSync(keysFile, 'utf8')) as Record<string, string>) : {};
  const keys = await withCallers((callers) => bootstrapCallers(config, callers, known));
  fs.writeFileSync(keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  done(`callers ready; their API keys are in ${keysFile}`);
}

async function createCaller(args: readonly string[]): Promise<void> {
  const { msp: mspId, name, role, entity, 'offline-cert': certFile } = flags(args, ['msp', 'name', 'role', 'entity', 'offline-cert']);
  if (!mspId || !name || !role || !entity || !isRole(role)) throw new AdminError(USAGE);
  const enrolled = certFile
    ? { certificate: fs.readFileSync(certFile, 'utf8') }
    : { ...(await certificateAuthority(loadConfig(), mspId).issue({ name, role, entityId: entity })), enrollmentId: name };
  const { apiKey } = await withCallers((callers) => callers.add({ id: name, mspId, role, entityId: entity, ...enrolled, withApiKey: true }));
  process.stdout.write(`${JSON.stringify({ caller: name, mspId, role, signing: 'privateKey' in enrolled ? 'custodial' : 'offline', apiKey })}\n`);
}

async function revokeCaller(args: readonly string[]): Promise<void> {
  const { name } = flags(args, ['name']);
  if (!name) throw new AdminError(USAGE);
  const config = loadConfig();
  // The gateway first (at once), then the CA, whose CRL the channel's MSP must then carry.
  const revoked = await withCallers((callers) => callers.revoke(name));
  if (!revoked) throw new AdminError(`no caller ${name}`);
  done(`caller ${name} revoked at the gateway`);
  if (!revoked.enrollmentId) {
    process.stderr.write(
      `! ${name}'s certificate was not enrolled by this gateway: revoke serial ${new crypto.X509Certificate(revoked.certificate).serialNumber} at its CA\n`,
    );
    return;
  }
  const crl = await certificateAuthority(config, revoked.mspId).revoke(revoked.enrollmentId);
  const file = path.join(config.dataDir, 'crls', `${revoked.mspId}.pem`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, crl, { mode: 0o600 });
  done(`certificate of ${name} revoked at ${revoked.mspId}'s CA; its CRL is in ${file}`);
  process.stderr.write(
    `  peers refuse the certificate once ${revoked.mspId}'s admins put the CRL into the channel config` +
      ` (on the local network: npm run network -- publish-crl --msp ${revoked.mspId} --file ${file})\n`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bootstrap':
      return bootstrap();
    case 'create-caller':
      return createCaller(rest);
    case 'rotate-vault': {
      const config = loadConfig();
      // The running gateway holds the vault's key in memory: it would go on encrypting under the old one.
      if (await AdminClient.connect(config.dataDir)) throw new AdminError('a gateway is running over this data folder: stop it, rotate, start it again');
      if (config.secret) {
        // A secret held in the environment is rotated to one the operator supplies, then swapped there.
        const next = process.env.REGCHAIN_GATEWAY_NEW_SECRET;
        if (!next) throw new AdminError('the vault secret comes from REGCHAIN_GATEWAY_SECRET: set the new one in REGCHAIN_GATEWAY_NEW_SECRET and run again');
        const count = await withRegistry((registry) => registry.reencrypt(new Vault(next)));
        done(`vault rotated: ${count} custodial key(s) re-encrypted; now set REGCHAIN_GATEWAY_SECRET to the new secret`);
        return;
      }
      // The new secret is on disk before the store changes, and takes the key file's place after: a crash in
      // between leaves <key file>.next, which then holds the secret the store is under.
      const fresh = crypto.randomBytes(32).toString('base64');
      fs.writeFileSync(`${config.secretFile}.next`, fresh, { mode: 0o600 });
      const count = await withRegistry((registry) => registry.reencrypt(new Vault(fresh)));
      fs.renameSync(`${config.secretFile}.next`, config.secretFile);
      done(`vault rotated: ${count} custodial key(s) re-encrypted; new secret in ${config.secretFile}`);
      return;
    }
    case 'revoke-caller':
      return revokeCaller(rest);
    case 'list':
      for (const c of await withCallers((callers) => callers.list()))
        process.stdout.write(`${c.id.padEnd(20)} ${c.mspId.padEnd(14)} ${c.role.padEnd(11)} ${c.key ? 'custodial' : 'offline'}\n`);
      return;
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof AdminError || err instanceof AdminSocketError || err instanceof CaError || err instanceof ProfileError;
  process.stderr.write(`\nerror: ${known ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exitCode = 1;
});
