// Network up, down and status: the orchestration of every step, idempotent and stopped by PID.
import { sleep, until } from '@regchain/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureFabric, type FabricInstall, linkBinaries } from './binaries';
import { ensureUsers } from './ca';
import { joinOrderers, joinPeers, waitForRaftLeader } from './channel';
import { deployChaincode, readCurrent, startDeployedChaincode } from './chaincode';
import { connectAs } from './client';
import { caEnv, ensureCrypto, ensureGenesis, ordererEnv, peerEnv, writeEnvFile } from './config';
import { log, NetworkError } from './log';
import { caHome, dirs, logFile, pidFile } from './paths';
import { writeProfiles } from './profile';
import { assertPortsFree, isHealthy, processState, readPid, stopProcess, waitHealthy } from './process';
import { nativeRuntime, type Runtime } from './runtime';
import { CHAINCODE_NAME, CHANNEL, DIAL_HOST, ORDERERS, PEER_ORGS, PEERS, type NodeProcess, type PeerOrg, networkProcesses, orgByKey } from './topology';

export interface UpOptions {
  readonly runtime?: Runtime;
}

export interface UpReport {
  readonly alreadyRunning: boolean;
  /** Milliseconds per phase. */
  readonly timings: Record<string, number>;
  readonly chaincodeSequence: number;
  readonly fabricSource: FabricInstall['source'];
}

const infra = (): NodeProcess[] => networkProcesses().filter((p) => p.kind !== 'chaincode');

/** Writes every process's env file: the native runtime and docker-compose read the same settings. */
export function writeEnvFiles(fabric: FabricInstall): void {
  for (const o of ORDERERS) writeEnvFile(o.name, ordererEnv(fabric, o));
  for (const node of PEERS) writeEnvFile(node.process, peerEnv(fabric, node));
  for (const org of PEER_ORGS) writeEnvFile(`ca-${org.key}`, caEnv(org));
}

/**
 * Waits until a transaction can be endorsed under the chaincode's policy: right after start-up the
 * peers' discovery may not yet know every org. Endorses a probe without submitting it.
 */
export async function waitEndorsable(timeoutMs = 90_000): Promise<number> {
  const regulator = orgByKey('regulator');
  const user = regulator.users[0];
  if (!user) throw new Error('regulator has no user');
  const connection = connectAs(regulator, user.name);
  const t0 = Date.now();
  let lastError = '';
  try {
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    while (Date.now() - t0 < timeoutMs) {
      try {
        // Every endorsing org at once: discovery must know all of them, not just enough for the policy,
        // or transactions whose plan needs a particular org (private data, key-level policies) fail.
        await contract
          .newProposal('system:recordProbe', {
            arguments: [`readiness-${t0}`],
            endorsingOrganizations: PEER_ORGS.filter((o) => o.endorses).map((o) => o.mspId),
          })
          .endorse();
        return Date.now() - t0;
      } catch (err) {
        lastError = (err as Error).message;
        await sleep(150);
      }
    }
  } finally {
    connection.close();
  }
  throw new NetworkError(
    `the chaincode could not be endorsed within ${timeoutMs / 1000} s: ${lastError}. Read ${logFile('chaincode-<org>')} and the peer logs.`,
  );
}

/**
 * fabric-ca-server writes the bootstrap admin's password into its config file on first start; once its
 * database holds the admin, the file needs no password, so none is left lying there.
 */
function scrubCaConfig(org: PeerOrg): void {
  const file = path.join(caHome(org), 'fabric-ca-server-config.yaml');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const scrubbed = text.replace(/^(\s*pass:\s*)(?!""\s*$)\S.*$/gm, '$1""');
  if (scrubbed !== text) fs.writeFileSync(file, scrubbed, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function removeStalePidFiles(): void {
  for (const proc of networkProcesses()) {
    if (processState(proc.name) === 'stale') {
      const record = readPid(proc.name);
      log.warn(`stale PID file for ${proc.name} (process ${record?.pid ?? '?'} is gone); removing it`);
      fs.rmSync(pidFile(proc.name), { force: true });
    }
  }
}

export async function up(options: UpOptions = {}): Promise<UpReport> {
  const runtime = options.runtime ?? nativeRuntime;
  const timings: Record<string, number> = {};
  const mark = (phase: string, t0: number): void => {
    timings[phase] = Date.now() - t0;
  };
  let t = Date.now();
  const fabric = await ensureFabric();
  mark('binaries', t);
  // Keys, CA databases and bootstrap secrets live below: the owner alone may enter.
  fs.mkdirSync(dirs.state, { recursive: true, mode: 0o700 });
  fs.chmodSync(dirs.state, 0o700);
  linkBinaries(fabric);

  if (runtime.name === 'native') removeStalePidFiles();
  const running: NodeProcess[] = [];
  for (const p of infra()) if (await runtime.isRunning(p.name)) running.push(p);
  if (running.length === infra().length) {
    // Each process runs under a keeper that starts it again when it dies: one that is not healthy now is given
    // the time a restart takes before it counts as broken.
    const unhealthy: string[] = [];
    for (const p of running) {
      if (
        !(await isHealthy(p)) &&
        !(await waitHealthy(p, 30_000, { restarting: true }).then(
          () => true,
          () => false,
        ))
      )
        unhealthy.push(p.name);
    }
    if (unhealthy.length > 0) {
      throw new NetworkError(
        `the network is running but ${unhealthy.join(', ')} is unhealthy; read ${dirs.logs}, then run \`npm run network:down\` and up again`,
      );
    }
    log.done('network already running; checking the users and the chaincode');
    writeProfiles();
    await ensureUsers(fabric);
    t = Date.now();
    const deployed = await deployChaincode(fabric, runtime);
    if (deployed.changed) await waitEndorsable();
    mark('chaincode', t);
    return { alreadyRunning: true, timings, chaincodeSequence: deployed.sequence, fabricSource: fabric.source };
  }
  // Part of the network runs (a process stopped by hand, or whose keeper was killed): exactly what is missing
  // starts, the rest is left as it is.
  if (running.length > 0) log.step(`${running.length} of ${infra().length} processes running; starting the others`);
  const isUp = (p: NodeProcess): boolean => running.some((r) => r.name === p.name);

  const chaincodeProcs = networkProcesses().filter((p) => p.kind === 'chaincode');
  // `chaincode` is the one service every org shared before each org ran its own.
  await runtime.stop('chaincode');
  const chaincodeUp: NodeProcess[] = [];
  for (const p of chaincodeProcs) if (await runtime.isRunning(p.name)) chaincodeUp.push(p);
  await assertPortsFree([...infra().filter((p) => !isUp(p)), ...chaincodeProcs.filter((p) => !chaincodeUp.includes(p))]);

  const started: string[] = [];
  const start = async (procs: readonly NodeProcess[]): Promise<void> => {
    const missing = procs.filter((p) => !isUp(p));
    started.push(...missing.map((p) => p.name));
    if (missing.length > 0) await runtime.start(fabric, missing);
  };
  try {
    t = Date.now();
    if (await ensureCrypto(fabric)) log.done('crypto material generated');
    await ensureGenesis(fabric);
    writeEnvFiles(fabric);
    writeProfiles();
    mark('config', t);

    t = Date.now();
    // Peers that already hold the channel start with the orderers: they catch up once Raft has a leader, and
    // their gossip warms up meanwhile. New peers wait for the orderers, then join from the genesis block.
    const resume = PEERS.every((p) => fs.existsSync(path.join(dirs.data, p.process, 'ledgersData')));
    const cas = PEER_ORGS.length;
    log.step(
      resume
        ? `starting ${cas} fabric-ca servers, ${ORDERERS.length} orderers and ${PEERS.length} peers with their data`
        : `starting ${cas} fabric-ca servers and ${ORDERERS.length} orderers`,
    );
    // With data, the chaincode service in force starts beside them: the deploy step then finds it running.
    const early = resume ? startDeployedChaincode(fabric, runtime) : Promise.resolve(false);
    if (resume) started.push(...chaincodeProcs.filter((p) => !chaincodeUp.includes(p)).map((p) => p.name));
    await start(infra().filter((p) => p.kind === 'ca' || p.kind === 'orderer' || (resume && p.kind === 'peer')));
    await early;
    for (const org of PEER_ORGS) scrubCaConfig(org);
    mark('orderersAndCas', t);

    t = Date.now();
    const joined = await joinOrderers(fabric);
    const leader = await waitForRaftLeader();
    mark('raft', t);
    log.done(`${joined > 0 ? `${joined} orderers joined` : 'orderers already on'} ${CHANNEL}; Raft leader is ${leader}`);

    t = Date.now();
    if (!resume) {
      log.step(`starting ${PEERS.length} peers`);
      await start(infra().filter((p) => p.kind === 'peer'));
    }
    await joinPeers(fabric);
    mark('peers', t);
    log.done(`peers of ${PEER_ORGS.map((o) => o.mspId).join(', ')} joined ${CHANNEL}`);

    t = Date.now();
    const users = await ensureUsers(fabric);
    mark('users', t);
    if (users > 0) log.done(`${users} user(s) enrolled from the org CAs with role and entity attributes`);

    t = Date.now();
    for (const p of chaincodeProcs) if (!started.includes(p.name) && !chaincodeUp.includes(p)) started.push(p.name);
    const deployed = await deployChaincode(fabric, runtime);
    mark('chaincode', t);
    log.done(`chaincode ${CHAINCODE_NAME} sequence ${deployed.sequence} committed; service ${deployed.pkg.packageId.slice(0, 28)}…`);

    t = Date.now();
    await waitEndorsable();
    mark('endorsable', t);
    log.done('a transaction can be endorsed under the chaincode policy');
    fs.writeFileSync(path.join(dirs.state, 'network.json'), JSON.stringify({ runtime: runtime.name, timings }, null, 2));
    return { alreadyRunning: false, timings, chaincodeSequence: deployed.sequence, fabricSource: fabric.source };
  } catch (err) {
    log.warn(`start-up failed; stopping the ${started.length} process(es) it started`);
    for (const name of [...started].reverse()) await runtime.stop(name);
    throw err;
  }
}

/** Stops exactly the processes this network started, by PID, in reverse start order; optionally purges state. */
export async function down(options: { purge: boolean; runtime?: Runtime }): Promise<string[]> {
  const runtime = options.runtime ?? nativeRuntime;
  const stopped: string[] = [];
  // The monitor and the gateway (started by `npm start`) go first, so in-flight submits finish while peers are up.
  if ((await stopProcess('monitor', 15_000)) === 'stopped') stopped.push('monitor');
  if ((await stopProcess('gateway', 35_000)) === 'stopped') stopped.push('gateway');
  for (const proc of [...networkProcesses()].reverse()) {
    if (await runtime.stop(proc.name)) stopped.push(proc.name);
  }
  // A process can be gone a moment before the kernel lets its ports go: wait for them (up to 5 s), so an
  // `up` right after `down` does not find them taken.
  if (stopped.length > 0) {
    const free = async (): Promise<true | undefined> =>
      assertPortsFree(networkProcesses()).then(
        () => true,
        () => undefined,
      );
    await until(free, { timeoutMs: 5000, intervalMs: 100 });
  }
  // A private Docker engine this state folder started goes with the network (its data is in the state folder).
  if (await runtime.close?.()) stopped.push('dockerd');
  if (options.purge) fs.rmSync(dirs.state, { recursive: true, force: true });
  return stopped;
}

export interface ProcessStatus {
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'stale';
  readonly healthy: boolean;
  readonly pid?: number;
  readonly rssKiB?: number;
  readonly ports: string;
}

/**
 * Resident memory of a process and everything under it: a container's main process may be Docker's init, the
 * node it runs a child of it.
 */
function rssKiB(pid: number): number | undefined {
  const own = (p: number): number | undefined => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  };
  const children = (p: number): number[] => {
    try {
      return fs.readdirSync(`/proc/${p}/task`).flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  const first = own(pid);
  if (first === undefined) return undefined;
  let total = first;
  const queue = children(pid);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    total += own(next) ?? 0;
    queue.push(...children(next));
  }
  return total;
}

/** Each process of the network on this runtime: running or not (native: or a stale PID file), healthy, PID and memory. */
export async function status(runtime: Runtime = nativeRuntime): Promise<ProcessStatus[]> {
  return Promise.all(
    networkProcesses().map(async (p) => {
      const state = runtime.name === 'native' ? processState(p.name) : (await runtime.isRunning(p.name)) ? 'running' : 'stopped';
      const pid = state === 'running' ? await runtime.pid(p.name) : undefined;
      return {
        name: p.name,
        state,
        healthy: state === 'running' && (await isHealthy(p)),
        ...(pid !== undefined ? { pid, rssKiB: rssKiB(pid) } : {}),
        ports: p.ports.map((x) => x.port).join(','),
      };
    }),
  );
}

/** The runtime the network in this state folder was last brought up with, if it says. */
export function recordedRuntime(): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dirs.state, 'network.json'), 'utf8')) as { runtime?: string }).runtime;
  } catch {
    return undefined;
  }
}

/** Where things are, for the start command's summary. */
export function endpoints(): string[] {
  const lines = [
    ...PEERS.map(
      (p) => `peer ${p.org.mspId.padEnd(14)} grpcs://${DIAL_HOST}:${p.port}   ${p.index === 0 ? `CA https://${DIAL_HOST}:${p.org.ca.port}` : `(${p.host})`}`,
    ),
    ...ORDERERS.map((o) => `orderer ${o.name.padEnd(12)} grpcs://${DIAL_HOST}:${o.port}   admin https://${DIAL_HOST}:${o.adminPort}`),
    `channel ${CHANNEL}, chaincode ${CHAINCODE_NAME} (${readCurrent()?.label ?? 'not deployed'})`,
    `state, logs and PID files in ${dirs.state}; env files in ${dirs.env}`,
  ];
  return lines;
}
