// Finds a Docker engine and the Compose plugin, or provides them. An engine that answers (DOCKER_HOST, then the
// system socket) is used as it is. Where none answers and we are root on Linux, Debian's docker.io is installed
// when missing and a private dockerd is started: its data, exec root, socket, PID file and log under the state
// folder's `docker/`, no iptables rules, no default bridge (containers use host networking or networks the
// project creates), stopped by its PID file. No registry is needed for any of it.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { until } from '@regchain/common';
import { log, NetworkError } from '../log';
import { cacheDir, STATE_DIR } from '../paths';

const exec = promisify(execFile);

/** The Compose version built from the Go module proxy when no `docker compose` plugin is installed. */
export const COMPOSE_MODULE = 'github.com/docker/compose/v5';
export const COMPOSE_VERSION = 'v5.6.0';

export interface DockerEngine {
  /** What clients need in their environment: DOCKER_HOST, and DOCKER_CONFIG when our own Compose plugin is used. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether this process started the daemon (then `stop` stops it). */
  readonly private: boolean;
}

const engineDir = (stateDir: string): string => path.join(stateDir, 'docker');
export const privateSocket = (stateDir = STATE_DIR): string => path.join(engineDir(stateDir), 'docker.sock');
const pidFile = (stateDir: string): string => path.join(engineDir(stateDir), 'dockerd.pid');

/** Whether an engine answers at `host` (a DOCKER_HOST value). */
async function answers(host: string): Promise<boolean> {
  try {
    await exec('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: host }, timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function have(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, command)));
}

async function installEngine(): Promise<void> {
  if (have('dockerd') || fs.existsSync('/usr/sbin/dockerd')) return;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get'))
    throw new NetworkError('no Docker engine answers and dockerd is not installed: install Docker (Debian: apt-get install docker.io) or run as root');
  log.step('installing the Docker engine from the Debian packages (docker.io)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await exec('apt-get', ['update', '-qq'], { env, timeout: 600_000 });
  await exec('apt-get', ['install', '-y', '-qq', 'docker.io'], { env, timeout: 900_000 });
}

/** Starts the private daemon of this state folder unless it runs; resolves once it answers. */
async function startPrivate(stateDir: string): Promise<string> {
  const dir = engineDir(stateDir);
  const host = `unix://${privateSocket(stateDir)}`;
  if (await answers(host)) return host;
  await installEngine();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The exec root holds containerd's sockets, whose paths must stay short: a folder of its own under /run or /tmp.
  const execRoot = fs.mkdtempSync(path.join(fs.existsSync('/run') ? '/run' : '/tmp', 'regchain-docker-'));
  const out = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const dockerd = fs.existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : 'dockerd';
  log.step(`starting a private Docker engine (socket ${privateSocket(stateDir)}, no iptables, no default bridge)`);
  const child = spawn(
    dockerd,
    [
      '--iptables=false',
      '--ip-masq=false',
      '--bridge=none',
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${execRoot}`,
      `--host=${host}`,
      `--pidfile=${pidFile(stateDir)}`,
    ],
    { detached: true, stdio: ['ignore', out, out], env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } },
  );
  child.unref();
  fs.writeFileSync(path.join(dir, 'exec-root'), execRoot);
  const ok = await until(async () => (await answers(host)) || undefined, { timeoutMs: 60_000, intervalMs: 500 });
  if (!ok) throw new NetworkError(`the private Docker engine did not answer within 60 s; read ${path.join(dir, 'dockerd.log')}`);
  return host;
}

/** Stops the private daemon of this state folder, by its PID file; false when none ran. */
export async function stopPrivateEngine(stateDir = STATE_DIR): Promise<boolean> {
  const file = pidFile(stateDir);
  if (!fs.existsSync(file)) return false;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  await until(
    () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  // Its exec root: dockerd leaves the default network namespace mounted there.
  const marker = path.join(engineDir(stateDir), 'exec-root');
  if (fs.existsSync(marker)) {
    const execRoot = fs.readFileSync(marker, 'utf8').trim();
    await exec('umount', [path.join(execRoot, 'netns', 'default')]).catch(() => undefined);
    try {
      fs.rmSync(execRoot, { recursive: true, force: true });
      fs.rmSync(marker);
    } catch (err) {
      log.warn(`the private engine's exec root ${execRoot} could not be removed: ${(err as Error).message}`);
    }
  }
  return true;
}

/** The Compose plugin: the one installed, else ours, built once from the Go module proxy into the cache. */
async function composePlugin(env: Record<string, string>): Promise<Record<string, string>> {
  try {
    await exec('docker', ['compose', 'version'], { env: { ...process.env, ...env }, timeout: 10_000 });
    return {};
  } catch {
    // Built below.
  }
  const config = path.join(path.dirname(cacheDir()), `docker-cli-${COMPOSE_VERSION}`);
  const plugin = path.join(config, 'cli-plugins', 'docker-compose');
  if (!fs.existsSync(plugin)) {
    log.step(`building the Docker Compose plugin ${COMPOSE_VERSION} from the Go module proxy (once; about 2 minutes)`);
    const modcache = (await exec('go', ['env', 'GOMODCACHE'])).stdout.trim();
    await exec('go', ['mod', 'download', `${COMPOSE_MODULE}@${COMPOSE_VERSION}`], { timeout: 600_000 });
    fs.mkdirSync(path.dirname(plugin), { recursive: true });
    // The module's go.mod has exclude directives, so `go install module@version` refuses it: built in its
    // downloaded source (read-only; the build writes only the output and Go's own cache).
    await exec('go', ['build', '-trimpath', '-ldflags', `-s -w -X ${COMPOSE_MODULE}/internal.Version=${COMPOSE_VERSION}`, '-o', `${plugin}.tmp`, './cmd'], {
      cwd: path.join(modcache, `${COMPOSE_MODULE}@${COMPOSE_VERSION}`),
      timeout: 1_800_000,
    });
    fs.renameSync(`${plugin}.tmp`, plugin);
  }
  return { DOCKER_CONFIG: config };
}

/** Whether an engine for this state folder answers now (DOCKER_HOST's, the system's or our private one), starting none. */
export async function dockerAnswers(stateDir = STATE_DIR): Promise<boolean> {
  for (const host of [process.env.DOCKER_HOST, 'unix:///var/run/docker.sock', `unix://${privateSocket(stateDir)}`])
    if (host && (await answers(host))) return true;
  return false;
}

/**
 * An engine and Compose for this state folder: DOCKER_HOST's or the system's when it answers, else a private
 * one started here (root on Linux). The answer's `env` goes into every docker and compose call.
 */
export async function ensureDockerEngine(stateDir = STATE_DIR): Promise<DockerEngine> {
  const candidates = [process.env.DOCKER_HOST, 'unix:///var/run/docker.sock'].filter((h): h is string => Boolean(h));
  for (const host of candidates) {
    if (await answers(host)) return { env: { DOCKER_HOST: host, ...(await composePlugin({ DOCKER_HOST: host })) }, private: false };
  }
  if (process.platform !== 'linux') throw new NetworkError('no Docker engine answers: start Docker Desktop, or set DOCKER_HOST');
  const host = await startPrivate(stateDir);
  return { env: { DOCKER_HOST: host, ...(await composePlugin({ DOCKER_HOST: host })) }, private: true };
}
