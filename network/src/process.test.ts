// Process bookkeeping: taken ports are named before anything starts; stale PID files are recognised.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { assertPortsFree, isRunning, processState, startProcess, stopProcess } from './process';
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

  afterEach(() => {
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

  it('starts a process with its own PID and stops exactly it', async () => {
    const record = startProcess({ name, command: '/bin/sleep', args: ['30'], env: {} });
    expect(isRunning(record)).toBe(true);
    expect(processState(name)).toBe('running');
    expect(await stopProcess(name)).toBe('stopped');
    expect(isRunning(record)).toBe(false);
    expect(fs.existsSync(pidFile(name))).toBe(false);
  });
});
