// How processes are started and stopped: as local processes (default) or as Docker Compose services.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FabricInstall } from './binaries';
import { run } from './exec';
import { NetworkError } from './log';
import { envFile, REPO_ROOT, STATE_DIR } from './paths';
import { processState, startProcess, stopProcess, waitHealthy } from './process';
import { type NodeProcess, PORT_OFFSET } from './topology';

export interface Runtime {
  readonly name: 'native' | 'docker';
  /** Starts the processes and resolves once each answers its health check. */
  start(fabric: FabricInstall, procs: readonly NodeProcess[]): Promise<void>;
  /** Stops one process if this runtime started it; says whether it was running. */
  stop(name: string): Promise<boolean>;
  isRunning(name: string): Promise<boolean>;
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
};

export const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yaml');

/** Variables docker-compose.yaml interpolates: where the state and the repository are. */
export const composeEnv = (): Record<string, string> => ({ REGCHAIN_HOME: STATE_DIR, REGCHAIN_REPO: REPO_ROOT });

function compose(args: readonly string[]): ReturnType<typeof run> {
  return run('docker', ['compose', '-f', COMPOSE_FILE, '-p', 'regchain', ...args], {
    env: { ...(process.env as Record<string, string>), ...composeEnv() },
    timeoutMs: 600_000,
  });
}

/** Docker Compose runtime: the same services, env files and ports, on the host network. */
/** docker-compose.yaml names the default ports: the Docker runtime does not take an offset. */
export function requireDefaultPorts(): void {
  if (PORT_OFFSET !== 0)
    throw new NetworkError(`the Docker runtime runs on the default ports; unset REGCHAIN_PORT_OFFSET (now ${PORT_OFFSET}) or use the native runtime`);
}

export const dockerRuntime: Runtime = {
  name: 'docker',
  async start(_fabric, procs) {
    requireDefaultPorts();
    await compose(['up', '-d', '--force-recreate', ...procs.map((p) => p.name)]);
    await Promise.all(procs.map((p) => waitHealthy(p, 120_000)));
  },
  async stop(name) {
    const running = await this.isRunning(name);
    await compose(['rm', '--force', '--stop', name]);
    return running;
  },
  async isRunning(name) {
    const { stdout } = await compose(['ps', '--status', 'running', '--services']);
    return stdout.split('\n').includes(name);
  },
};

export function runtimeByName(name: string | undefined): Runtime {
  if (name === undefined || name === 'native') return nativeRuntime;
  if (name === 'docker') return dockerRuntime;
  throw new NetworkError(`unknown runtime "${name}"; use native or docker`);
}
