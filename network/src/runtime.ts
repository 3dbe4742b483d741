// How processes are started and stopped: as local processes (default) or as Docker Compose services.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FabricInstall } from './binaries';
import { type DockerEngine, dockerAnswers, ensureDockerEngine, stopPrivateEngine } from './docker/engine';
import { hostsRuntime } from './docker/hosts';
import { ensureImages } from './docker/images';
import { run, type RunResult } from './exec';
import { NetworkError } from './log';
import { envFile, REPO_ROOT, STATE_DIR } from './paths';
import { childPid, processState, startProcess, stopProcess, waitHealthy } from './process';
import { type NodeProcess, PORT_OFFSET } from './topology';

export interface Runtime {
  readonly name: 'native' | 'docker' | 'hosts';
  /** Starts the processes and resolves once each answers its health check. */
  start(fabric: FabricInstall, procs: readonly NodeProcess[]): Promise<void>;
  /** Stops one process if this runtime started it; says whether it was running. */
  stop(name: string): Promise<boolean>;
  isRunning(name: string): Promise<boolean>;
  /** The host PID of a running process (a container's main process), what a crash test kills. */
  pid(name: string): Promise<number | undefined>;
  /** Stops what the runtime itself started beside the processes (a private Docker engine); true when it did. */
  close?(): Promise<boolean>;
}

/** Reads a generated env file (KEY=value per line). */
export function readEnvFile(name: string): Record<string, string> {
  const file = envFile(name);
  if (!fs.existsSync(file)) throw new NetworkError(`${file} is missing; run \`npm run network:up\` to generate the configuration`);
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** The executable and arguments of each process; its settings come from its env file. */
export function commandOf(fabric: FabricInstall, proc: NodeProcess): { command: string; args: string[] } {
  switch (proc.kind) {
    case 'ca':
      return { command: path.join(fabric.binDir, 'fabric-ca-server'), args: ['start'] };
    case 'orderer':
      return { command: path.join(fabric.binDir, 'orderer'), args: [] };
    case 'peer':
      return { command: path.join(fabric.binDir, 'peer'), args: ['node', 'start'] };
    case 'chaincode':
      return {
        command: process.execPath,
        args: [require.resolve('fabric-shim/cli', { paths: [path.join(REPO_ROOT, 'chaincode')] }), 'server'],
      };
  }
}

export const nativeRuntime: Runtime = {
  name: 'native',
  async start(fabric, procs) {
    for (const proc of procs) {
      const { command, args } = commandOf(fabric, proc);
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...readEnvFile(proc.name) };
      startProcess({ name: proc.name, command, args, env, cwd: proc.kind === 'chaincode' ? path.join(REPO_ROOT, 'chaincode') : STATE_DIR });
    }
    await Promise.all(procs.map((p) => waitHealthy(p, 30_000)));
  },
  async stop(name) {
    return (await stopProcess(name)) === 'stopped';
  },
  async isRunning(name) {
    return processState(name) === 'running';
  },
  async pid(name) {
    return processState(name) === 'running' ? childPid(name) : undefined;
  },
};

export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yaml');

/** The Compose project: one per port offset, so a test network never touches the one `npm start` left. */
export const composeProject = (): string => (PORT_OFFSET === 0 ? 'regchain' : `regchain-${PORT_OFFSET}`);

/** Variables docker-compose.yaml interpolates: where the state and the repository are, and whose files they are. */
export const composeEnv = (): Record<string, string> => ({
  REGCHAIN_HOME: STATE_DIR,
  REGCHAIN_REPO: REPO_ROOT,
  REGCHAIN_USER: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
});

let engine: Promise<DockerEngine> | undefined;
/** The engine, found or started once per process, with the images the compose file names. */
function dockerEngine(fabric?: FabricInstall): Promise<DockerEngine> {
  engine ??= (async () => {
    const found = await ensureDockerEngine();
    if (fabric) await ensureImages(fabric, { ...found.env });
    return found;
  })();
  engine.catch(() => (engine = undefined));
  return engine;
}

async function compose(args: readonly string[], fabric?: FabricInstall): Promise<RunResult> {
  const { env } = await dockerEngine(fabric);
  return run('docker', ['compose', '-f', COMPOSE_FILE, '-p', composeProject(), ...args], {
    env: { ...(process.env as Record<string, string>), ...env, ...composeEnv() },
    timeoutMs: 600_000,
  });
}

/** The last lines a service's container wrote (its log is Docker's, not a file under the state folder). */
export async function containerLog(name: string, lines = 20): Promise<string> {
  try {
    const { stdout, stderr } = await compose(['logs', '--no-color', '--tail', String(lines), name]);
    return `${stdout}${stderr}`.trim() || '(no output)';
  } catch (err) {
    return `(no log: ${(err as Error).message})`;
  }
}

/** Waits for each container's health, naming the one that stalls with what it wrote. */
export async function waitContainersHealthy(procs: readonly NodeProcess[], timeoutMs = 120_000): Promise<void> {
  await Promise.all(
    procs.map((p) =>
      waitHealthy(p, timeoutMs).catch(async (err: unknown) => {
        throw new NetworkError(`${(err as Error).message.split(';')[0]}; its container's last lines:\n${await containerLog(p.name)}`);
      }),
    ),
  );
}

/** Docker Compose runtime: the same services, env files and ports (the offset's too), on the host network. */
export const dockerRuntime: Runtime = {
  name: 'docker',
  async start(fabric, procs) {
    // --remove-orphans: a container of a service the file no longer names (the one chaincode service every org
    // shared before each org ran its own) goes.
    await compose(['up', '-d', '--force-recreate', '--no-deps', '--remove-orphans', ...procs.map((p) => p.name)], fabric);
    await waitContainersHealthy(procs);
  },
  async stop(name) {
    if (!engine && !(await dockerAnswers())) return false;
    const { stdout: services } = await compose(['config', '--services']);
    if (!services.split('\n').includes(name)) return false;
    const running = await this.isRunning(name);
    await compose(['rm', '--force', '--stop', name]);
    return running;
  },
  async isRunning(name) {
    if (!engine && !(await dockerAnswers())) return false;
    const { stdout } = await compose(['ps', '--status', 'running', '--services']);
    return stdout.split('\n').includes(name);
  },
  async pid(name) {
    const { stdout: id } = await compose(['ps', '--quiet', name]);
    if (!id.trim()) return undefined;
    const { env } = await dockerEngine();
    const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Pid}}', id.trim()], {
      env: { ...(process.env as Record<string, string>), ...env },
    });
    const pid = Number(stdout.trim());
    return pid > 0 ? pid : undefined;
  },
  async close() {
    engine = undefined;
    return stopPrivateEngine();
  },
};

export function runtimeByName(name: string | undefined): Runtime {
  if (name === undefined || name === 'native') return nativeRuntime;
  if (name === 'docker') return dockerRuntime;
  if (name === 'hosts') {
    // Nodes dial each other by name from then on (see `layout`): the env files and channel config say so.
    process.env.REGCHAIN_LAYOUT = 'hosts';
    return hostsRuntime;
  }
  throw new NetworkError(`unknown runtime "${name}"; use native, docker or hosts`);
}
