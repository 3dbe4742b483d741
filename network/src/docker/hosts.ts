// Each organisation on a host of its own, as a consortium of separate institutions runs: one Compose project per
// organisation (the orderer organisation's included), its nodes sharing one network namespace (the "host"), the
// hosts reaching each other only by their nodes' names on one network the project creates (the consortium's
// WAN), the machine reaching them on published ports. A host mounts its own organisation's folders and nothing
// of another's: each org's keys stay with it; certificates travel in the channel configuration.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { FabricInstall } from '../binaries';
import { run, type RunResult } from '../exec';
import { NetworkError } from '../log';
import { caHome, dirs, envFile, ordererOrgDir, peerOrgDir, REPO_ROOT, STATE_DIR } from '../paths';
import { type Runtime, waitContainersHealthy } from '../runtime';
import {
  caHost,
  chaincodeHost,
  chaincodeName,
  caName,
  type NodeProcess,
  networkProcesses,
  ORDERERS,
  ordererHost,
  PEER_ORGS,
  PEERS,
  PORT_OFFSET,
} from '../topology';
import { type DockerEngine, ensureDockerEngine, stopPrivateEngine } from './engine';
import { ensureImages, IMAGES } from './images';

/** One organisation's host: its Compose project, its processes, the names it answers to and what it mounts. */
export interface Host {
  /** The org's key, or `orderer` for the orderer organisation. */
  readonly key: string;
  readonly project: string;
  readonly processes: readonly NodeProcess[];
  /** Its nodes' host names (their TLS certificates' common names), resolvable on the WAN. */
  readonly names: readonly string[];
  /** Host paths it mounts read-write at the same path: its own organisation's keys and data. */
  readonly mounts: readonly string[];
}

const suffix = PORT_OFFSET === 0 ? '' : `-${PORT_OFFSET}`;
/** The consortium's network between the hosts. */
export const WAN = `regchain-wan${suffix}`;
const projectOf = (key: string): string => `regchain-host-${key}${suffix}`;
const byName = (name: string): NodeProcess => {
  const p = networkProcesses().find((x) => x.name === name);
  if (!p) throw new Error(`topology has no process ${name}`);
  return p;
};

export function hosts(): Host[] {
  const orderer: Host = {
    key: 'orderer',
    project: projectOf('orderer'),
    processes: ORDERERS.map((o) => byName(o.name)),
    names: ORDERERS.map(ordererHost),
    mounts: [ordererOrgDir(), ...ORDERERS.map((o) => path.join(dirs.data, o.name))],
  };
  const orgs = PEER_ORGS.map((org): Host => {
    const peers = PEERS.filter((p) => p.org.key === org.key);
    return {
      key: org.key,
      project: projectOf(org.key),
      processes: [byName(caName(org)), ...peers.map((p) => byName(p.process)), byName(chaincodeName(org))],
      names: [caHost(org), ...peers.map((p) => p.host), chaincodeHost(org)],
      mounts: [peerOrgDir(org), caHome(org), ...peers.map((p) => path.join(dirs.data, p.process))],
    };
  });
  return [orderer, ...orgs];
}

export function hostOf(name: string): Host {
  const host = hosts().find((h) => h.processes.some((p) => p.name === name));
  if (!host) throw new NetworkError(`no host runs ${name}`);
  return host;
}

/** What a chaincode service runs, mounted read-only: the chaincode, the shared package and the dependencies. */
export const CODE = ['chaincode', 'common', 'node_modules', 'package.json'].map((p) => path.join(REPO_ROOT, p));

const composeFile = (host: Host): string => path.join(STATE_DIR, 'hosts', `${host.key}.compose.yaml`);

/** The image and command of each kind of node, as docker-compose.yaml runs them. */
function service(proc: NodeProcess, host: Host): Record<string, unknown> {
  const user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const own = host.mounts.map((m) => `${m}:${m}`);
  const common = { network_mode: 'service:host', depends_on: ['host'], restart: 'unless-stopped', user, env_file: [envFile(proc.name)] };
  switch (proc.kind) {
    case 'orderer':
      return { ...common, image: IMAGES.orderer, command: 'orderer', environment: { FABRIC_CFG_PATH: '/etc/hyperledger/fabric' }, volumes: own };
    case 'peer':
      return {
        ...common,
        image: IMAGES.peer,
        command: 'peer node start',
        environment: {
          FABRIC_CFG_PATH: '/etc/hyperledger/fabric',
          CORE_CHAINCODE_EXTERNALBUILDERS:
            '[{name: ccaas, path: /opt/hyperledger/ccaas_builder, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]',
        },
        volumes: own,
      };
    case 'ca':
      return { ...common, image: IMAGES.ca, command: 'fabric-ca-server start', volumes: own };
    case 'chaincode':
      return {
        ...common,
        image: IMAGES.node,
        // Node as PID 1 ignores SIGTERM: Docker's init passes it on, so a stop takes a moment, not the 10 s grace.
        init: true,
        working_dir: path.join(REPO_ROOT, 'chaincode'),
        command: ['node', path.join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js'), 'server'],
        // The code, read-only (what it runs and nothing else of the checkout, where a state folder may live);
        // of the state, only the org's own folders.
        volumes: [...own, ...CODE.map((c) => `${c}:${c}:ro`)],
      };
  }
}

/** Writes each host's compose file under <state>/hosts/. */
export function writeHostComposeFiles(): void {
  for (const host of hosts()) {
    const ports = host.processes.flatMap((p) => p.ports.map(({ port }) => `127.0.0.1:${port}:${port}`));
    const doc = {
      name: host.project,
      networks: { wan: { external: true, name: WAN } },
      services: {
        // The organisation's machine: one network namespace its nodes share, on the WAN by its nodes' names,
        // its endpoints published on this machine's loopback for the CLI, the gateway and the tests.
        host: {
          image: IMAGES.node,
          // Holds the namespace; goes at once when the host is stopped.
          command: ['node', '-e', "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30);"],
          restart: 'unless-stopped',
          networks: { wan: { aliases: host.names } },
          ports,
        },
        ...Object.fromEntries(host.processes.map((p) => [p.name, service(p, host)])),
      },
    };
    fs.mkdirSync(path.dirname(composeFile(host)), { recursive: true });
    fs.writeFileSync(composeFile(host), YAML.stringify(doc));
  }
}

let engine: Promise<DockerEngine> | undefined;
function dockerEngine(fabric?: FabricInstall): Promise<DockerEngine> {
  engine ??= (async () => {
    const found = await ensureDockerEngine();
    if (fabric) await ensureImages(fabric, { ...found.env }, { pull: false });
    return found;
  })();
  engine.catch(() => (engine = undefined));
  return engine;
}

async function docker(args: readonly string[]): Promise<RunResult> {
  const { env } = await dockerEngine();
  return run('docker', args, { env: { ...(process.env as Record<string, string>), ...env }, timeoutMs: 600_000 });
}

/** docker compose on one host's project. */
export async function composeHost(host: Host, args: readonly string[]): Promise<RunResult> {
  return docker(['compose', '-f', composeFile(host), '-p', host.project, ...args]);
}

async function ensureWan(): Promise<void> {
  const { stdout } = await docker(['network', 'ls', '--format', '{{.Name}}']);
  if (!stdout.split('\n').includes(WAN)) await docker(['network', 'create', WAN]);
}

/** Stops a whole host (every node of the organisation and its network namespace), as a machine that goes down. */
export async function stopHost(host: Host): Promise<void> {
  await composeHost(host, ['stop']);
}

/** Starts a stopped host again: its namespace first, then its nodes. */
export async function startHost(host: Host): Promise<void> {
  await composeHost(host, ['start']);
  await waitContainersHealthy(host.processes);
}

/** The runtime of `up --hosts`: the topology as five hosts (see above). */
export const hostsRuntime: Runtime = {
  name: 'hosts',
  async start(fabric, procs) {
    await dockerEngine(fabric);
    await ensureWan();
    writeHostComposeFiles();
    const groups = new Map<Host, NodeProcess[]>();
    for (const p of procs) {
      const host = hostOf(p.name);
      const known = [...groups.keys()].find((h) => h.key === host.key) ?? host;
      groups.set(known, [...(groups.get(known) ?? []), p]);
    }
    await Promise.all(
      [...groups].map(async ([host, ps]) => {
        // The host as it is (recreating it would pull the namespace from under its running nodes), then the nodes.
        await composeHost(host, ['up', '-d', '--no-deps', 'host']);
        await composeHost(host, ['up', '-d', '--force-recreate', '--no-deps', ...ps.map((p) => p.name)]);
      }),
    );
    await waitContainersHealthy(procs);
  },
  async stop(name) {
    if (!networkProcesses().some((p) => p.name === name)) return false;
    const host = hostOf(name);
    if (!fs.existsSync(composeFile(host))) return false;
    const running = await this.isRunning(name);
    await composeHost(host, ['rm', '--force', '--stop', name]);
    // The host's last node gone, the host goes too: it holds the published ports, which a later start (or a
    // start-up that failed and stops what it started) must find free.
    const { stdout } = await composeHost(host, ['ps', '--all', '--services']);
    if (stdout.split('\n').filter((s) => s && s !== 'host').length === 0) await composeHost(host, ['rm', '--force', '--stop', 'host']);
    return running;
  },
  async isRunning(name) {
    const host = hostOf(name);
    if (!fs.existsSync(composeFile(host))) return false;
    const { stdout } = await composeHost(host, ['ps', '--status', 'running', '--services']);
    return stdout.split('\n').includes(name);
  },
  async pid(name) {
    const { stdout: id } = await composeHost(hostOf(name), ['ps', '--quiet', name]);
    if (!id.trim()) return undefined;
    const { stdout } = await docker(['inspect', '--format', '{{.State.Pid}}', id.trim()]);
    const pid = Number(stdout.trim());
    return pid > 0 ? pid : undefined;
  },
  async close() {
    for (const host of hosts()) if (fs.existsSync(composeFile(host))) await composeHost(host, ['down', '--remove-orphans']);
    await docker(['network', 'rm', WAN]).catch(() => undefined);
    engine = undefined;
    return stopPrivateEngine();
  },
};

/** What each of a host's containers mounts from this machine, by service: to show no host reaches another's folders. */
export async function containerMounts(host: Host): Promise<Record<string, string[]>> {
  const { stdout } = await composeHost(host, ['ps', '--all', '--format', '{{.Service}} {{.ID}}']);
  const mounts: Record<string, string[]> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [serviceName, id] = line.split(' ') as [string, string];
    const { stdout: sources } = await docker(['inspect', '--format', '{{range .Mounts}}{{.Source}}\n{{end}}', id]);
    mounts[serviceName] = sources.split('\n').filter(Boolean);
  }
  return mounts;
}
