// Gateway administration: bootstrap the local callers, create and enrol callers, start and stop the gateway.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureFabric } from '../../network/src/binaries';
import { registerAndEnroll } from '../../network/src/ca';
import { revokeIdentity } from '../../network/src/revoke';
import { log, NetworkError } from '../../network/src/log';
import { httpGet, isRunning, readPid, startProcess, stopProcess } from '../../network/src/process';
import { REPO_ROOT } from '../../network/src/paths';
import { orgByKey, PEER_ORGS, type PeerOrg } from '../../network/src/topology';
import { ROLES, type Role } from '../../chaincode/src/identity';
import { loadConfig } from './config';
import { bootstrapCallers } from './fabric/bootstrap';
import { CallerRegistry, Vault } from './fabric/identities';

const USAGE = `usage: gateway-admin <command>
  bootstrap                     callers for the network's users (API keys in <data>/dev-api-keys.json) and the public lookup identity
  create-caller --org ORG --name NAME --role ROLE --entity USCC [--offline-cert cert.pem]
                                enrol a caller at its org's CA (custodial key, encrypted) or register a member's own certificate
  rotate-vault                  re-encrypt every custodial key under a new vault secret and replace the key file (stop the gateway first)
  revoke-caller --name NAME     remove a caller (its API key and custodial key stop working at once, also in a running gateway),
                                revoke its certificate at its org's CA and put the CRL into the channel config
  list                          callers, their orgs and roles
  start                         run the gateway in the background (log and PID file beside the network's)
  stop                          stop it, letting in-flight submits finish`;

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function registry(): { registry: CallerRegistry; dataDir: string } {
  const config = loadConfig();
  return {
    registry: new CallerRegistry(config.dataDir, Vault.open(config.secretFile, config.secret, path.join(config.dataDir, 'vault.secret'))),
    dataDir: config.dataDir,
  };
}

async function bootstrap(): Promise<void> {
  const { registry: callers, dataDir } = registry();
  const keysFile = path.join(dataDir, 'dev-api-keys.json');
  const known = fs.existsSync(keysFile) ? (JSON.parse(fs.readFileSync(keysFile, 'utf8')) as Record<string, string>) : {};
  const keys = await bootstrapCallers(callers, known);
  fs.writeFileSync(keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  log.done(`callers ready; their API keys are in ${keysFile}`);
}

async function createCaller(args: readonly string[]): Promise<void> {
  const orgKey = flag(args, 'org');
  const name = flag(args, 'name');
  const role = flag(args, 'role') as Role | undefined;
  const entity = flag(args, 'entity');
  if (!orgKey || !name || !role || !entity || !(ROLES as readonly string[]).includes(role)) throw new NetworkError(USAGE);
  const org: PeerOrg = orgByKey(orgKey);
  const { registry: callers } = registry();
  const certFile = flag(args, 'offline-cert');
  let certificate: string;
  let privateKey: string | undefined;
  if (certFile) {
    certificate = fs.readFileSync(certFile, 'utf8');
  } else {
    const fabric = await ensureFabric();
    const enrolled = await registerAndEnroll(fabric, org, { name, role, entityId: entity });
    certificate = fs.readFileSync(enrolled.certPath, 'utf8');
    privateKey = fs.readFileSync(enrolled.keyPath, 'utf8');
    // From here on the key exists only encrypted in the gateway's store.
    fs.rmSync(path.dirname(enrolled.keyPath), { recursive: true, force: true });
  }
  const { apiKey } = await callers.add({
    id: name,
    mspId: org.mspId,
    role,
    entityId: entity,
    certificate,
    ...(privateKey ? { privateKey, enrollmentId: name } : {}),
    withApiKey: true,
  });
  process.stdout.write(`${JSON.stringify({ caller: name, org: org.mspId, role, signing: privateKey ? 'custodial' : 'offline', apiKey })}\n`);
}

async function start(): Promise<void> {
  const config = loadConfig();
  const url = `http://${config.host}:${config.port}`;
  if (isRunning(readPid('gateway'))) {
    log.done(`gateway already running at ${url}`);
    return;
  }
  startProcess({
    name: 'gateway',
    command: process.execPath,
    args: [require.resolve('tsx/cli'), path.join(REPO_ROOT, 'gateway', 'src', 'server.ts')],
    env: { ...(process.env as Record<string, string>) },
    cwd: REPO_ROOT,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await httpGet(`${url}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || !isRunning(readPid('gateway'))) throw new NetworkError('the gateway did not start; read .regchain/logs/gateway.log');
    await new Promise((r) => setTimeout(r, 200));
  }
  log.done(`gateway listening at ${url} (API docs ${url}/docs)`);
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
      if (config.secret) {
        // A secret held in the environment is rotated to one the operator supplies, then swapped there.
        const next = process.env.REGCHAIN_GATEWAY_NEW_SECRET;
        if (!next) throw new NetworkError('the vault secret comes from REGCHAIN_GATEWAY_SECRET: set the new one in REGCHAIN_GATEWAY_NEW_SECRET and run again');
        const count = await registry().registry.reencrypt(new Vault(next));
        log.done(`vault rotated: ${count} custodial key(s) re-encrypted; now set REGCHAIN_GATEWAY_SECRET to the new secret`);
        return;
      }
      // The new secret is on disk before the store changes, and takes the key file's place after: a crash in
      // between leaves <key file>.next, which then holds the secret the store is under.
      const fresh = crypto.randomBytes(32).toString('base64');
      fs.writeFileSync(`${config.secretFile}.next`, fresh, { mode: 0o600 });
      const count = await registry().registry.reencrypt(new Vault(fresh));
      fs.renameSync(`${config.secretFile}.next`, config.secretFile);
      log.done(`vault rotated: ${count} custodial key(s) re-encrypted; new secret in ${config.secretFile}`);
      return;
    }
    case 'revoke-caller': {
      const name = flag(rest, 'name');
      if (!name) throw new NetworkError(USAGE);
      // The gateway first (at once), then Fabric: the CA revokes the certificate and the channel gets the CRL.
      const revoked = await registry().registry.revoke(name);
      if (!revoked) throw new NetworkError(`no caller ${name}`);
      log.done(`caller ${name} revoked at the gateway`);
      if (!revoked.enrollmentId) {
        log.warn(
          `${name}'s certificate was not enrolled by this gateway: revoke serial ${new crypto.X509Certificate(revoked.certificate).serialNumber} at its CA`,
        );
        return;
      }
      const org = PEER_ORGS.find((o) => o.mspId === revoked.mspId);
      if (!org) throw new NetworkError(`${revoked.mspId} is not an org of the local network; revoke ${name}'s certificate at its own CA`);
      const { height } = await revokeIdentity(await ensureFabric(), org, revoked.enrollmentId);
      log.done(`certificate of ${name} revoked at ${revoked.mspId}'s CA; its CRL is in the channel config (every peer at height ≥ ${height})`);
      return;
    }
    case 'list':
      for (const c of registry().registry.list())
        process.stdout.write(`${c.id.padEnd(20)} ${c.mspId.padEnd(14)} ${c.role.padEnd(11)} ${c.key ? 'custodial' : 'offline'}\n`);
      return;
    case 'start':
      return start();
    case 'stop':
      log.done(`gateway ${await stopProcess('gateway', 35_000)}`);
      return;
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`\nerror: ${err instanceof NetworkError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exitCode = 1;
});
