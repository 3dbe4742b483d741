// Process bookkeeping: taken ports are named before anything starts; stale PID files are recognised; every process
// runs under a keeper that starts it again when it dies, with back-off, and stops with it.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { sleep, until } from '@regchain/common';
import { assertPortsFree, childPid, isRunning, pidAlive, processState, startProcess, stopProcess } from './process';
import * as path from 'node:path';
import { logFile, pidFile } from './paths';
import type { NodeProcess } from './topology';

const proc = (port: number): NodeProcess => ({ name: 'probe', kind: 'peer', ports: [{ port, use: 'probe listen' }] });

describe('assertPortsFree', () => {
  it('names the taken port, its use and what to do', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(assertPortsFree([proc(port)])).rejects.toThrow(new RegExp(`port already in use: ${port} \\(probe listen\\).*ss -ltnp`));
    } finally {
      server.close();
    }
  });

  it('passes when every port is free', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(assertPortsFree([proc(port)])).resolves.toBeUndefined();
  });
});

describe('PID files', () => {
  const name = `unit-${process.pid}`;

  afterEach(async () => {
    await stopProcess(name, 2000);
    fs.rmSync(pidFile(name), { force: true });
    fs.rmSync(logFile(name), { force: true });
  });

  it('treats a PID file whose process is gone as stale', () => {
    fs.mkdirSync(path.dirname(pidFile(name)), { recursive: true });
    fs.writeFileSync(pidFile(name), JSON.stringify({ pid: 2 ** 22 + 1, command: '/bin/sleep', startedAt: '' }));
    expect(processState(name)).toBe('stale');
  });

  it('treats a live PID running another program as stale, not ours', () => {
    fs.writeFileSync(pidFile(name), JSON.stringify({ pid: process.pid, command: '/usr/bin/orderer', startedAt: '' }));
    expect(processState(name)).toBe('stale');
  });

  it('starts a process under its keeper and stops exactly both', async () => {
    const record = startProcess({ name, command: '/bin/sleep', args: ['30'], env: {} });
    expect(isRunning(record)).toBe(true);
    expect(processState(name)).toBe('running');
    const child = await until(() => childPid(name), { timeoutMs: 5000, intervalMs: 20 });
    expect(child).toBeDefined();
    expect(fs.readFileSync(`/proc/${child}/cmdline`, 'utf8')).toContain('sleep');
    expect(await stopProcess(name)).toBe('stopped');
    expect(isRunning(record)).toBe(false);
    expect(pidAlive(child as number)).toBe(false);
    expect(fs.existsSync(pidFile(name))).toBe(false);
  });

  it('starts a killed process again within a second, under the same keeper', async () => {
    const record = startProcess({ name, command: '/bin/sleep', args: ['30'], env: {} });
    const first = (await until(() => childPid(name), { timeoutMs: 5000, intervalMs: 20 })) as number;
    process.kill(first, 'SIGKILL');
    const t0 = Date.now();
    const second = await until(
      () => {
        const pid = childPid(name);
        return pid !== undefined && pid !== first ? pid : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(second).toBeDefined();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(isRunning(record)).toBe(true);
    expect(fs.readFileSync(logFile(name), 'utf8')).toMatch(/regchain-keep: exited with status 137; starting again in 0\.500 s/);
  });

  it('backs off a process that keeps dying: 0.5 s, then 1 s, then 2 s', async () => {
    startProcess({ name, command: '/bin/false', args: [], env: {} });
    await sleep(4200);
    const delays = [...fs.readFileSync(logFile(name), 'utf8').matchAll(/starting again in (\d+\.\d+) s/g)].map((m) => m[1]);
    expect(delays.slice(0, 3)).toEqual(['0.500', '1.000', '2.000']);
  });

  it('stops a process whose keeper was killed on its own', async () => {
    const record = startProcess({ name, command: '/bin/sleep', args: ['30'], env: {} });
    const child = (await until(() => childPid(name), { timeoutMs: 5000, intervalMs: 20 })) as number;
    process.kill(record.pid, 'SIGKILL');
    await until(() => (isRunning(record) ? undefined : true), { timeoutMs: 5000, intervalMs: 20 });
    expect(pidAlive(child)).toBe(true);
    expect(await stopProcess(name, 2000)).toBe('stopped');
    expect(pidAlive(child)).toBe(false);
  });
});
