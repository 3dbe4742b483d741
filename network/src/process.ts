// Starting, probing and stopping the network's processes: one log and one PID file each, stopped by PID.
import { sleep, until } from '@regchain/common';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { dirs, logFile, pidFile, REPO_ROOT } from './paths';
import { NetworkError } from './log';
import { HOST, type NodeProcess } from './topology';

export interface PidRecord {
  /** The keeper's PID: it runs the process and starts it again when it dies (see network/bin/regchain-keep). */
  readonly pid: number;
  /** The executable, to tell our process from an unrelated one that reused the PID. */
  readonly command: string;
  readonly startedAt: string;
}

/** The keeper every native process runs under: restart with back-off, as Docker's restart policy. */
export const KEEPER = path.join(REPO_ROOT, 'network', 'bin', 'regchain-keep');

/** Where the keeper writes the PID of the process it runs now. */
const childFile = (name: string): string => path.join(dirs.pids, `${name}.child`);

/** The PID of the process itself (not its keeper), while it is alive: what a crash test kills. */
export function childPid(name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(childFile(name), 'utf8').trim());
    return pid > 0 && pidAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StartSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export function readPid(name: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(pidFile(name), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // pid (comm) state ppid …: the command may hold spaces and parentheses, so read after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Whether a process exists and has not exited (an exited child awaiting its parent's wait is dead). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return true;
  }
}

/** True when the recorded PID is alive and still runs the command we started (not a reused PID). */
export function isRunning(record: PidRecord | undefined): record is PidRecord {
  if (!record || !pidAlive(record.pid)) return false;
  const cmdline = cmdlineOf(record.pid);
  // Without /proc (macOS) liveness is all we can check. A child we forked this instant still shows our own
  // command line until it runs its program.
  // While it swaps programs the line is empty for a moment (a zombie's is empty too, but pidAlive said no).
  if (cmdline === undefined || cmdline === '' || cmdline.includes(path.basename(record.command))) return true;
  return parentOf(record.pid) === process.pid && cmdline === cmdlineOf(process.pid);
}

export type ProcessState = 'running' | 'stopped' | 'stale';

/** running: our process is alive; stale: a PID file whose process is gone or is someone else's. */
export function processState(name: string): ProcessState {
  const record = readPid(name);
  if (!record) return 'stopped';
  return isRunning(record) ? 'running' : 'stale';
}

export function tailLog(name: string, lines = 15): string {
  try {
    const text = fs.readFileSync(logFile(name), 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a process detached under its keeper (which starts it again whenever it dies, with back-off), its output
 * appended to its log, the keeper's PID recorded and the process's own written beside it by the keeper.
 */
export function startProcess(spec: StartSpec): PidRecord {
  fs.mkdirSync(dirs.logs, { recursive: true });
  fs.mkdirSync(dirs.pids, { recursive: true });
  fs.rmSync(childFile(spec.name), { force: true });
  const out = fs.openSync(logFile(spec.name), 'a');
  fs.writeSync(out, `\n==== ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`);
  const child = spawn(KEEPER, [childFile(spec.name), spec.command, ...spec.args], {
    cwd: spec.cwd ?? dirs.state,
    // The keeper is a bash script: it finds bash and its few tools on the usual path when the spec names none.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...spec.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new NetworkError(`could not start ${spec.name} (${spec.command}); see ${logFile(spec.name)}`);
  child.unref();
  const record: PidRecord = { pid: child.pid, command: KEEPER, startedAt: new Date().toISOString() };
  fs.writeFileSync(pidFile(spec.name), JSON.stringify(record));
  return record;
}

/**
 * Stops a process we started, by its recorded PIDs: TERM to its keeper (which stops the process and waits for
 * it), then KILL to both after a grace period. A process whose keeper was killed on its own is stopped too.
 */
export async function stopProcess(name: string, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  const record = readPid(name);
  const orphan = childPid(name);
  if (!isRunning(record)) {
    if (orphan !== undefined) await stopPid(orphan, graceMs);
    fs.rmSync(pidFile(name), { force: true });
    fs.rmSync(childFile(name), { force: true });
    return orphan === undefined ? 'not running' : 'stopped';
  }
  process.kill(record.pid, 'SIGTERM');
  const gone = (): true | undefined => (isRunning(record) ? undefined : true);
  if (!(await until(gone, { timeoutMs: graceMs, intervalMs: 100 }))) {
    const stuck = childPid(name);
    if (stuck !== undefined) process.kill(stuck, 'SIGKILL');
    process.kill(record.pid, 'SIGKILL');
    while (isRunning(record)) await sleep(50);
  }
  fs.rmSync(pidFile(name), { force: true });
  fs.rmSync(childFile(name), { force: true });
  return 'stopped';
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  if (!(await until(() => (pidAlive(pid) ? undefined : true), { timeoutMs: graceMs, intervalMs: 100 }))) process.kill(pid, 'SIGKILL');
}

export function portFree(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function portOpen(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

/**
 * Healthy: the health endpoint answers 200 and every port the process serves accepts connections, since
 * the health port can be up a moment before the listener the next step dials (the admin CLI, osnadmin).
 */
export async function isHealthy(proc: NodeProcess): Promise<boolean> {
  if (proc.healthUrl) {
    try {
      if ((await httpGet(proc.healthUrl)).status !== 200) return false;
    } catch {
      return false;
    }
  }
  for (const { port } of proc.ports) if (!(await portOpen(port))) return false;
  return proc.ports.length > 0 || proc.healthUrl !== undefined;
}

/**
 * Waits until the process answers its health check; fails naming the process and its log if it stalls, or if
 * it dies during start-up (its keeper would start it again, but a process that cannot start is a broken
 * configuration, told at once). `restarting`: it is coming back from a crash under its keeper; only wait.
 */
export async function waitHealthy(proc: NodeProcess, timeoutMs = 30_000, options: { restarting?: boolean } = {}): Promise<void> {
  let first: number | undefined;
  const healthy = async (): Promise<true | undefined> => {
    if (await isHealthy(proc)) return true;
    const record = readPid(proc.name);
    if (record && !isRunning(record)) {
      throw new NetworkError(`${proc.name} exited during start-up; read ${logFile(proc.name)}:\n${tailLog(proc.name)}`);
    }
    if (record && !options.restarting) {
      const pid = childPid(proc.name);
      first ??= pid;
      if (first !== undefined && pid !== first) {
        throw new NetworkError(`${proc.name} exited during start-up; read ${logFile(proc.name)}:\n${tailLog(proc.name)}`);
      }
    }
    return undefined;
  };
  if (!(await until(healthy, { timeoutMs, intervalMs: 100 }))) {
    throw new NetworkError(`${proc.name} did not become healthy within ${timeoutMs / 1000} s; read ${logFile(proc.name)}:\n${tailLog(proc.name)}`);
  }
}

/** Fails before anything starts if one of the network's ports is taken by another program. */
export async function assertPortsFree(procs: readonly NodeProcess[]): Promise<void> {
  const taken: string[] = [];
  for (const proc of procs) {
    for (const { port, use } of proc.ports) {
      if (!(await portFree(port))) taken.push(`${port} (${use})`);
    }
  }
  if (taken.length > 0) {
    throw new NetworkError(
      `port${taken.length > 1 ? 's' : ''} already in use: ${taken.join(', ')}. Another program holds ` +
        `${taken.length > 1 ? 'them' : 'it'}: find it with \`ss -ltnp\` and stop it, then run the command again.`,
    );
  }
}
