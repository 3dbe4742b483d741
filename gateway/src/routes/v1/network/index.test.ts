// What the console stands on: who the key belongs to, the nodes' health as their operations endpoints report
// it, a dropped evidence bundle verified against the gateway's anchors, and the console's files under a strict
// policy (or a clear answer when they were never built).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RouteTestApp, startRouteTestApp } from '../../../test/harness';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'audit', 'fixtures');
const bundle = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bundle.json'), 'utf8')) as Record<string, unknown> & { block: string };

let t: RouteTestApp;
let health: http.Server;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-console-'));

beforeAll(async () => {
  // One healthy node, one whose checks fail (Fabric answers 503 with the failed checks), one that is down.
  health = http.createServer((req, res) => {
    if (req.url === '/ok/healthz') res.writeHead(200).end(JSON.stringify({ status: 'OK', time: new Date().toISOString() }));
    else res.writeHead(503).end(JSON.stringify({ status: 'Service Unavailable', failed_checks: [{ component: 'leveldb', reason: 'disk full' }] }));
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  const port = (health.address() as AddressInfo).port;
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const nodes = path.join(dir, 'nodes.json');
  fs.writeFileSync(
    nodes,
    JSON.stringify([
      { name: 'peer0.bank.regchain.local', kind: 'peer', mspId: 'BankMSP', healthUrl: `http://127.0.0.1:${port}/ok/healthz` },
      { name: 'orderer1', kind: 'orderer', mspId: 'OrdererMSP', healthUrl: `http://127.0.0.1:${port}/bad/healthz` },
      { name: 'orderer2', kind: 'orderer', healthUrl: `http://127.0.0.1:${closedPort}/healthz` },
      { name: 'not-a-node', kind: 'peer', healthUrl: 'file:///etc/passwd' },
    ]),
  );
  const consoleDir = path.join(dir, 'console');
  fs.mkdirSync(path.join(consoleDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>regchain</title>');
  fs.writeFileSync(path.join(consoleDir, 'assets', 'index-abc123.js'), 'console.log("regchain");\n'.repeat(200));
  t = await startRouteTestApp({ nodes, consoleDir, trustAnchors: path.join(FIXTURES, 'genesis.block') });
});

afterAll(async () => {
  await t.app.close();
  await new Promise((r) => health.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the caller', () => {
  it('tells a key its caller, role and entity, and nothing else', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: t.auth('bank') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'bank-1', role: 'bank', mspId: 'BankMSP', entityId: '91500000MA5U0ENT1W' });
    expect((await t.app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });
});

describe('node health', () => {
  it('reports each node as its operations endpoint does: healthy, failing with the failed checks, or unreachable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/network/nodes', headers: t.auth('auditor') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      configured: true,
      nodes: [
        { name: 'peer0.bank.regchain.local', kind: 'peer', mspId: 'BankMSP', status: 'ok', detail: 'OK' },
        { name: 'orderer1', kind: 'orderer', mspId: 'OrdererMSP', status: 'failing', detail: 'leveldb: disk full' },
        { name: 'orderer2', kind: 'orderer', status: 'unreachable', detail: 'connection refused' },
      ],
    });
    expect((await t.app.inject({ method: 'GET', url: '/v1/network/nodes', headers: t.auth('bank') })).statusCode).toBe(403);
  });
});

describe('verifying a bundle someone holds', () => {
  it('verifies a genuine bundle with the checks of the command line and names the anchors it trusted', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/audit/verifications', headers: t.auth('auditor'), payload: bundle });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ verified: true, trustAnchors: { source: 'genesis.block', genesisHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(body.checks.length).toBeGreaterThan(10);
  });

  it('refuses a bundle whose block was altered, naming the failed check', async () => {
    const block = Buffer.from(bundle.block, 'base64');
    block.writeUInt8((block.readUInt8(block.length - 40) ^ 0x01) & 0xff, block.length - 40);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/audit/verifications',
      headers: t.auth('regulator'),
      payload: { ...bundle, block: block.toString('base64') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().verified).toBe(false);
    expect(res.json().checks.filter((c: { ok: boolean }) => !c.ok).length).toBeGreaterThan(0);
  });

  it('answers 400 for what is not a bundle, and reports a bundle whose bytes are not blocks as unverified', async () => {
    const notBundle = await t.app.inject({ method: 'POST', url: '/v1/audit/verifications', headers: t.auth('auditor'), payload: { hello: 1 } });
    expect(notBundle.statusCode).toBe(400);
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/v1/audit/verifications',
      headers: t.auth('auditor'),
      payload: { ...bundle, block: Buffer.from('not a block').toString('base64'), configBlocks: ['AAAA'] },
    });
    expect(garbage.statusCode).toBe(200);
    expect(garbage.json()).toMatchObject({ verified: false });
    expect(
      garbage
        .json()
        .checks.filter((c: { ok: boolean }) => !c.ok)
        .map((c: { check: string }) => c.check),
    ).toEqual(['bundle']);
  });
});

describe('the console files', () => {
  it('serves the console under a content security policy, hashed assets cached for good, the page never', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/console' })).headers.location).toBe('/console/');
    const page = await t.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await t.app.inject({ method: 'GET', url: '/console/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-encoding']).toBe('br');
    expect(asset.rawPayload.length).toBeLessThan(200);
    // The API is not compressed: the event stream must flush event by event.
    const api = await t.app.inject({ method: 'GET', url: '/v1/me', headers: { ...t.auth('bank'), 'accept-encoding': 'br, gzip' } });
    expect(api.headers['content-encoding']).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/console/../callers.json' })).statusCode).toBe(404);
  });

  it('says how to build the console when it was not built', async () => {
    const unbuilt = await startRouteTestApp({ consoleDir: path.join(dir, 'nothing-here') });
    try {
      const res = await unbuilt.app.inject({ method: 'GET', url: '/console/' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'CONSOLE_NOT_BUILT' });
    } finally {
      await unbuilt.app.close();
    }
  });
});
