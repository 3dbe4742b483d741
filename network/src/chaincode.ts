// Deploys the TypeScript chaincode by the real lifecycle and runs it as a chaincode service.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { until } from '@regchain/common';
import type { FabricInstall } from './binaries';
import { chaincodeTlsDir, peerAdminEnv, writeEnvFile } from './config';
import type { Runtime } from './runtime';
import { run } from './exec';
import { log, NetworkError } from './log';
import { dirs, ordererTlsCa, peerDir, REPO_ROOT } from './paths';
import {
  CHAINCODE_NAME,
  CHANNEL,
  chaincodeHost,
  chaincodeName,
  listenHost,
  nodeAddress,
  DIAL_HOST,
  ENDORSEMENT_POLICY,
  ORDERERS,
  PEER_ORGS,
  PEERS,
  networkProcesses,
  type NodeProcess,
  type PeerNode,
  type PeerOrg,
} from './topology';

export const CHAINCODE_DIR = path.join(REPO_ROOT, 'chaincode');
/** The shared package the chaincode requires at run time, from its build. */
const COMMON_DIR = path.join(REPO_ROOT, 'common');
const COLLECTIONS = path.join(CHAINCODE_DIR, 'collections.json');
/** The package each org's chaincode service runs under now. */
const CURRENT = (org: PeerOrg): string => path.join(dirs.chaincode, `current-${org.key}.json`);
/** What the last deploy left in force: read back on a restart instead of asking every peer again. */
const DEPLOYED = (): string => path.join(dirs.chaincode, 'deployed.json');

interface Deployed {
  /** Each org's package id: the same code, each pointing its peers at the org's own service. */
  readonly packageIds: Readonly<Record<string, string>>;
  readonly version: string;
  readonly sequence: number;
  /** Peers that have the package installed; a peer's ledger keeps it across restarts. */
  readonly installedOn: readonly string[];
}

function readDeployed(pkgs: Packages): Deployed | undefined {
  try {
    const d = JSON.parse(fs.readFileSync(DEPLOYED(), 'utf8')) as Deployed;
    const everywhere = PEERS.every((p) => d.installedOn.includes(p.host));
    const same = PEER_ORGS.every((o) => d.packageIds?.[o.key] === pkgs[o.key].packageId && d.version === pkgs[o.key].version);
    return same && everywhere ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * On a restart with data, the chaincode service starts beside the peers when the package in force is the one
 * just built, so the deploy step finds it running. Returns whether it started it.
 */
export async function startDeployedChaincode(fabric: FabricInstall, runtime: Runtime): Promise<boolean> {
  const pkgs = packagesFor(buildChaincode());
  if (!readDeployed(pkgs)) return false;
  await startChaincodeServers(fabric, runtime, pkgs);
  return true;
}

export interface ChaincodePackage {
  /** The org whose peers install it and whose service it points them at. */
  readonly org: PeerOrg['key'];
  readonly label: string;
  readonly file: string;
  readonly packageId: string;
  /** Content digest of the built chaincode and its definition inputs: the chaincode version. */
  readonly version: string;
}

export interface Definition {
  readonly sequence: number;
  readonly version: string;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

function digestOf(files: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(CHAINCODE_DIR, file));
    hash.update(fs.readFileSync(file));
  }
  for (const e of extra) hash.update(e);
  return hash.digest('hex');
}

/** Compiles a package (tsconfig.build.json into dist) unless its sources are unchanged since its last build. */
function buildPackage(dir: string): string[] {
  const dist = path.join(dir, 'dist');
  const marker = path.join(dist, '.source-sha256');
  const sources = [
    ...listFiles(path.join(dir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes(`${path.sep}test${path.sep}`)),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => path.join(dir, f)),
  ];
  const sourceDigest = digestOf(sources);
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== sourceDigest) {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [dir] });
    fs.rmSync(dist, { recursive: true, force: true });
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.build.json')], { stdio: 'pipe' });
    } catch (err) {
      const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
      throw new NetworkError(`${path.basename(dir)} does not compile:\n${out}`);
    }
    fs.writeFileSync(marker, sourceDigest);
  }
  return listFiles(dist).filter((f) => f !== marker);
}

/**
 * Compiles the shared package and the chaincode that requires it, each unless unchanged; the digest of both
 * builds and the definition inputs (collections, policy) is the chaincode version.
 */
export function buildChaincode(): string {
  const built = [...buildPackage(COMMON_DIR), ...buildPackage(CHAINCODE_DIR)];
  const inputs = [...built, path.join(CHAINCODE_DIR, 'package.json'), ...(fs.existsSync(COLLECTIONS) ? [COLLECTIONS] : [])];
  // The packaging is part of the version: a network deployed when one service served every org redeploys once,
  // so each org approves its own package.
  return digestOf(inputs, [ENDORSEMENT_POLICY, 'a chaincode service per org']).slice(0, 16);
}

/** A tar.gz whose bytes depend only on its content, so the package id is stable. */
function reproducibleTarGz(cwd: string, entries: readonly string[], out: string): void {
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=ustar', '-cf', '-', ...entries], {
    cwd,
  });
  fs.writeFileSync(out, execFileSync('gzip', ['-n', '-9'], { input: tar }));
}

/** Each org's package, by org key. */
export type Packages = Readonly<Record<PeerOrg['key'], ChaincodePackage>>;

/**
 * An org's ccaas package: where its peers dial its own chaincode service, with the TLS root (its own TLS CA)
 * to trust. The code is the same for every org; the package id differs with the address.
 */
export function packageChaincode(version: string, org: PeerOrg): ChaincodePackage {
  const label = `${CHAINCODE_NAME}_${version}`;
  const work = path.join(dirs.chaincode, `${label}-${org.key}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'src'), { recursive: true });
  const connection = {
    address: `${nodeAddress(chaincodeHost(org))}:${org.chaincode.port}`,
    dial_timeout: '10s',
    tls_required: true,
    client_auth_required: false,
    root_cert: fs.readFileSync(path.join(chaincodeTlsDir(org), 'ca.crt'), 'utf8'),
  };
  fs.writeFileSync(path.join(work, 'src', 'connection.json'), JSON.stringify(connection));
  reproducibleTarGz(path.join(work, 'src'), ['connection.json'], path.join(work, 'code.tar.gz'));
  fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
  const file = path.join(dirs.chaincode, `${label}-${org.key}.tar.gz`);
  reproducibleTarGz(work, ['code.tar.gz', 'metadata.json'], file);
  fs.rmSync(work, { recursive: true, force: true });
  // Fabric's package id is the label and the SHA-256 of the package file (what `peer lifecycle chaincode
  // calculatepackageid` prints), computed here without starting the CLI.
  return { org: org.key, label, file, packageId: `${label}:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`, version };
}

export function packagesFor(version: string): Packages {
  return Object.fromEntries(PEER_ORGS.map((org) => [org.key, packageChaincode(version, org)])) as unknown as Packages;
}

const peerBin = (fabric: FabricInstall): string => path.join(fabric.binDir, 'peer');

async function installOn(fabric: FabricInstall, node: PeerNode, pkg: ChaincodePackage): Promise<boolean> {
  const env = peerAdminEnv(fabric, node.org, node);
  const { stdout } = await run(peerBin(fabric), ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], { env });
  if (stdout.includes(pkg.packageId)) return false;
  await run(peerBin(fabric), ['lifecycle', 'chaincode', 'install', pkg.file], { env });
  return true;
}

/** Orgs whose admins may read the chain past the chaincode (see the channel's ACLs in config.ts). */
const SUPERVISOR_ORGS: readonly string[] = ['regulator', 'auditor'];

/** Waits until the regulator's peer sees every org's approval of the definition (members approve without waiting). */
async function waitForApprovals(fabric: FabricInstall, version: string, sequence: number): Promise<void> {
  const regulator = PEER_ORGS[0] as PeerOrg;
  let approvals: Record<string, boolean> = {};
  const all = await until(
    async () => {
      const args = ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definitionArgs(version, sequence), '--output', 'json'];
      const { stdout } = await run(peerBin(fabric), args, { env: peerAdminEnv(fabric, regulator) });
      approvals = (JSON.parse(stdout) as { approvals: Record<string, boolean> }).approvals;
      return PEER_ORGS.every((o) => approvals[o.mspId]) ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  if (all) return;
  throw new Error(`the definition's approvals did not all reach the regulator's peer within 60 s: ${JSON.stringify(approvals)}`);
}

/** The definition committed on the channel, or undefined before the first deploy. */
export async function committedDefinition(fabric: FabricInstall): Promise<Definition | undefined> {
  const regulator = PEER_ORGS[0] as PeerOrg;
  try {
    const { stdout } = await run(peerBin(fabric), ['lifecycle', 'chaincode', 'querycommitted', '-C', CHANNEL, '-n', CHAINCODE_NAME, '--output', 'json'], {
      env: peerAdminEnv(fabric, regulator),
    });
    const parsed = JSON.parse(stdout) as { sequence: number; version: string };
    return { sequence: parsed.sequence, version: parsed.version };
  } catch (err) {
    if (/not found|does not exist|is not defined/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

function definitionArgs(pkgVersion: string, sequence: number): string[] {
  const args = ['-C', CHANNEL, '-n', CHAINCODE_NAME, '--version', pkgVersion, '--sequence', String(sequence), '--signature-policy', ENDORSEMENT_POLICY];
  if (fs.existsSync(COLLECTIONS)) args.push('--collections-config', COLLECTIONS);
  return args;
}

const ordererArgs = (): string[] => {
  const first = ORDERERS[0];
  if (!first) throw new Error('topology has no orderer');
  return ['-o', `${DIAL_HOST}:${first.port}`, '--tls', '--cafile', ordererTlsCa()];
};

function peerTargets(): string[] {
  return PEERS.flatMap((node) => ['--peerAddresses', `${DIAL_HOST}:${node.port}`, '--tlsRootCertFiles', path.join(peerDir(node), 'tls', 'ca.crt')]);
}

/** Settings of an org's chaincode service; fabric-chaincode-node reads CORE_* variables as its options. */
export function chaincodeEnv(pkg: ChaincodePackage, org: PeerOrg): Record<string, string> {
  const tls = chaincodeTlsDir(org);
  return {
    NODE_ENV: 'production',
    CORE_CHAINCODE_ADDRESS: `${listenHost()}:${org.chaincode.port}`,
    CORE_CHAINCODE_ID: pkg.packageId,
    CORE_CHAINCODE_TLS_CERT_FILE: path.join(tls, 'server.crt'),
    CORE_CHAINCODE_TLS_KEY_FILE: path.join(tls, 'server.key'),
    CORE_MODULE_PATH: CHAINCODE_DIR,
  };
}

/** Starts (or keeps) each org's chaincode service under its package id. */
export async function startChaincodeServers(fabric: FabricInstall, runtime: Runtime, pkgs: Packages): Promise<void> {
  const start: NodeProcess[] = [];
  for (const org of PEER_ORGS) {
    const pkg = pkgs[org.key];
    const proc = networkProcesses().find((p) => p.name === chaincodeName(org));
    if (!proc) throw new Error(`topology has no chaincode process for ${org.mspId}`);
    const running = await runtime.isRunning(proc.name);
    if (running && readCurrent(org)?.packageId === pkg.packageId) continue;
    if (running) await runtime.stop(proc.name);
    writeEnvFile(proc.name, chaincodeEnv(pkg, org));
    start.push(proc);
  }
  if (start.length > 0) await runtime.start(fabric, start);
  for (const org of PEER_ORGS) fs.writeFileSync(CURRENT(org), JSON.stringify(pkgs[org.key], null, 2));
}

/** The package an org's chaincode service runs under (the regulator's when no org is named). */
export function readCurrent(org: PeerOrg = PEER_ORGS[0] as PeerOrg): ChaincodePackage | undefined {
  try {
    return JSON.parse(fs.readFileSync(CURRENT(org), 'utf8')) as ChaincodePackage;
  } catch {
    return undefined;
  }
}

/**
 * Builds, packages, installs, approves and commits the chaincode when its content changed since the
 * committed definition; each change bumps the sequence. Returns the sequence in force.
 */
export async function deployChaincode(fabric: FabricInstall, runtime: Runtime): Promise<{ sequence: number; changed: boolean; pkg: ChaincodePackage }> {
  fs.mkdirSync(dirs.chaincode, { recursive: true });
  const version = buildChaincode();
  const pkgs = packagesFor(version);
  const pkg = pkgs.regulator;
  const deployed = readDeployed(pkgs);
  if (deployed) {
    await startChaincodeServers(fabric, runtime, pkgs);
    return { sequence: deployed.sequence, changed: false, pkg };
  }
  const record = (sequence: number): void =>
    fs.writeFileSync(
      DEPLOYED(),
      JSON.stringify(
        {
          packageIds: Object.fromEntries(PEER_ORGS.map((o) => [o.key, pkgs[o.key].packageId])),
          version,
          sequence,
          installedOn: PEERS.map((p) => p.host),
        },
        null,
        2,
      ),
    );
  // Each org's peers install the org's own package (its admin's identity, its peers only).
  const install = (): Promise<boolean[]> => Promise.all(PEERS.map((node) => installOn(fabric, node, pkgs[node.org.key])));
  const committed = await committedDefinition(fabric);
  if (committed?.version === version) {
    await install();
    await startChaincodeServers(fabric, runtime, pkgs);
    record(committed.sequence);
    return { sequence: committed.sequence, changed: false, pkg };
  }
  const sequence = (committed?.sequence ?? 0) + 1;
  log.step(`deploying chaincode ${pkg.label} as sequence ${sequence}, one package and one service per org`);
  await install();
  await startChaincodeServers(fabric, runtime, pkgs);
  await Promise.all(
    PEER_ORGS.map((org) =>
      run(
        peerBin(fabric),
        [
          'lifecycle',
          'chaincode',
          'approveformyorg',
          ...ordererArgs(),
          ...definitionArgs(version, sequence),
          // The org approves the definition for its own package: its peers run the org's own service.
          '--package-id',
          pkgs[org.key].packageId,
          // Waiting reads the peer's deliver service, which the channel's ACLs keep to the supervisors' orgs:
          // members' approvals are awaited below through the regulator's peer instead.
          ...(SUPERVISOR_ORGS.includes(org.key) ? ['--waitForEventTimeout', '60s'] : ['--waitForEvent=false']),
        ],
        { env: peerAdminEnv(fabric, org) },
      ).catch((err: unknown) => {
        // A deploy interrupted after this org approved: the same approval again is refused, and is already there.
        if (/attempted to redefine uncommitted sequence \(\d+\) for namespace \S+ with unchanged content/.test(String((err as Error).message))) return;
        throw err;
      }),
    ),
  );
  await waitForApprovals(fabric, version, sequence);
  await run(
    peerBin(fabric),
    ['lifecycle', 'chaincode', 'commit', ...ordererArgs(), ...definitionArgs(version, sequence), ...peerTargets(), '--waitForEventTimeout', '60s'],
    { env: peerAdminEnv(fabric, PEER_ORGS[0] as PeerOrg) },
  );
  record(sequence);
  return { sequence, changed: true, pkg };
}
