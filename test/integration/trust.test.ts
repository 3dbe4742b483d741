// Trust under attack, on the real network through the REST gateway: each attack a hostile member tried, and what it gets now.
import { sleep } from '@regchain/common';
import { type Contract, GatewayError, signers } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import type { FastifyInstance } from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../../gateway/src/app';
import { anchorsFromFile, collectEvidence } from '../../gateway/src/audit/evidence';
import { verifyEvidence } from '../../gateway/src/audit/verify';
import { loadConfig } from '../../gateway/src/config';
import type { Caller } from '../../gateway/src/fabric/identities';
import { bootstrapCallers, certificateAuthority } from '../../gateway/src/fabric/bootstrap';
import { createServices } from '../../gateway/src/services';
import { ensureFabric } from '../../network/src/binaries';
import { registerAndEnroll } from '../../network/src/ca';
import { connectAs } from '../../network/src/client';
import { genesisBlock, logFile } from '../../network/src/paths';
import { publishCrl } from '../../network/src/revoke';
import { CHAINCODE_NAME, CHANNEL, orgByKey } from '../../network/src/topology';
import { Clients } from '../support/fabric';
import { addMember } from '../support/gateway';

const run = Date.now().toString(36);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-trust-it-'));
const ENT = orgByKey('enterprise').users[0]?.entityId as string;
const BANK = orgByKey('bank').users[0]?.entityId as string;
// A second enterprise and a second bank: the neighbours a hostile member would go after.
const ENT2 = '91500000MA5U0ENT20';
const BANK2 = '91500000MA5U0BNK23';
const clients = new Clients();

let app: FastifyInstance;
let url: string;
let keys: Record<string, string>;
let services: ReturnType<typeof createServices>;

beforeAll(async () => {
  const config = {
    ...loadConfig({ REGCHAIN_HOME: process.env.REGCHAIN_HOME, REGCHAIN_PORT_OFFSET: process.env.REGCHAIN_PORT_OFFSET }),
    dataDir,
    secret: 'trust-secret',
    secretFile: path.join(dataDir, 'vault.key'),
    logLevel: 'silent',
    maxStreamsPerCaller: 2,
  };
  services = createServices(config);
  keys = await bootstrapCallers(services.config, services.callers);
  keys[`ent2-${run}`] = await addMember(services, { name: `ent2-${run}`, org: 'enterprise', entityId: ENT2 });
  keys[`bank2-${run}`] = await addMember(services, { name: `bank2-${run}`, org: 'bank', entityId: BANK2 });
  app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await app.close();
  await services.close();
  clients.close();
});

async function api<T = any>(as: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${keys[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const transfer = (from: string, to: string, amount: number, purpose = 'goods') => ({
  fromAccount: from,
  toAccount: to,
  amount,
  currency: 'CNY',
  purpose,
  reference: `t-${run}`,
});

describe('enterprises do not read each other', () => {
  it("refuses a crafted bookmark that starts the scan outside the caller's own filings", async () => {
    const other = await api(`ent2-${run}`, 'POST', '/v1/filings', {
      applicant: { name: '邻家公司', type: 'enterprise', creditCode: ENT2 },
      service: {
        name: `邻家服务-${run}`,
        category: 'application',
        form: 'website',
        applicationField: 'finance',
        serverAddresses: ['10.9.9.9'],
        description: '机密',
      },
      attachments: [],
      personInCharge: { name: '李四', idNumber: '11010519491231002X', phone: '+86-23-6000-0001', email: 'li@example.cn' },
    });
    expect(other.status).toBe(201);
    for (const bookmark of ['filingidx~entity~', `filingidx~entity~${ENT2}~`, 'filing~']) {
      const res = await api('enterprise1', 'GET', `/v1/filings?bookmark=${encodeURIComponent(bookmark)}`);
      expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(JSON.stringify(res.body)).not.toContain('10.9.9.9');
    }
  });
});

describe('the watched are not told', () => {
  it("answers an enterprise's dry run with compliance and blocking rules only: no watchlist status, ALERT rules or facts", async () => {
    await api('enterprise1', 'POST', '/v1/accounts', { accountId: `tw-a-${run}`, ownerEntityId: ENT, name: 'a', holderBankId: BANK });
    await api('bank1', 'POST', '/v1/accounts', { accountId: `tw-b-${run}`, ownerEntityId: ENT2, name: 'b' });
    expect((await api('regulator1', 'POST', '/v1/watchlist', { kind: 'account', value: `tw-b-${run}`, reason: '可疑' })).status).toBe(201);
    expect(
      (
        await api('regulator1', 'POST', '/v1/rules', {
          ruleId: `tw-alert-${run}`,
          name: '关注',
          description: '',
          logic: { var: 'payee.accountWatchlisted' },
          action: 'ALERT',
          severity: 'high',
        })
      ).status,
    ).toBe(201);
    const member = await api('enterprise1', 'POST', '/v1/transfers/check', transfer(`tw-a-${run}`, `tw-b-${run}`, 100));
    expect(member.status).toBe(200);
    expect(Object.keys(member.body).sort()).toEqual(['blockedBy', 'compliant', 'violations']);
    expect(JSON.stringify(member.body)).not.toMatch(/atchlist|tw-alert/);
    const regulator = await api('regulator1', 'POST', '/v1/transfers/check', transfer(`tw-a-${run}`, `tw-b-${run}`, 100));
    expect(regulator.body.facts.payee.accountWatchlisted).toBe(true);
    await api('regulator1', 'POST', `/v1/rules/tw-alert-${run}/deactivate`);
  });
});

describe('banks act only on accounts they hold', () => {
  it("refuses another bank draining a project account it does not hold, and the project's spend is untouched", async () => {
    expect(
      (
        await api('bank1', 'POST', '/v1/projects', {
          projectId: `tb-p-${run}`,
          name: '救灾',
          type: 'public_fund',
          ownerEntityId: BANK,
          budgets: [{ purpose: 'relief', amount: 1_000_000 }],
        })
      ).status,
    ).toBe(201);
    expect(
      (await api('bank1', 'POST', '/v1/accounts', { accountId: `tb-fund-${run}`, ownerEntityId: BANK, name: 'fund', projectId: `tb-p-${run}` })).status,
    ).toBe(201);
    expect((await api(`bank2-${run}`, 'POST', '/v1/accounts', { accountId: `tb-sink-${run}`, ownerEntityId: ENT2, name: 'sink' })).status).toBe(201);
    const drain = await api(`bank2-${run}`, 'POST', '/v1/transfers', transfer(`tb-fund-${run}`, `tb-sink-${run}`, 900_000, 'relief'));
    // Another bank's account answers as a missing one: nothing says it exists, or whose it is.
    expect(drain).toMatchObject({ status: 404, body: { code: 'ACCOUNT_NOT_FOUND', message: `account tb-fund-${run} does not exist` } });
    const attach = await api(`bank2-${run}`, 'POST', '/v1/accounts', { accountId: `tb-x-${run}`, ownerEntityId: BANK, name: 'x', projectId: `tb-p-${run}` });
    expect(attach).toMatchObject({ status: 404, body: { code: 'PROJECT_NOT_FOUND', message: `project tb-p-${run} does not exist` } });
    const project = await api('regulator1', 'GET', `/v1/projects/tb-p-${run}`);
    expect(project.body.spending).toEqual([{ purpose: 'relief', budget: 1_000_000, spent: 0, remaining: 1_000_000 }]);
    const peek = await api(`bank2-${run}`, 'GET', `/v1/accounts/tb-fund-${run}`);
    expect(peek).toMatchObject({ status: 404, body: { code: 'ACCOUNT_NOT_FOUND' } });
  });
});

describe('the regulator endorses every write', () => {
  it('marks a write endorsed by Bank and Enterprise alone ENDORSEMENT_POLICY_FAILURE, and it writes nothing', async () => {
    const bank: Contract = clients.contract('bank');
    const accountId = `tp-${run}`;
    const submitted = await bank
      .newProposal('account:open', {
        arguments: [JSON.stringify({ accountId, ownerEntityId: ENT, name: 'p' })],
        endorsingOrganizations: ['BankMSP', 'EnterpriseMSP'],
      })
      .endorse()
      .then((t) => t.submit());
    const status = await submitted.getStatus();
    expect(status.code).toBe(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    expect((await api('regulator1', 'GET', `/v1/accounts/${accountId}`)).status).toBe(404);
  });
});

describe('business time cannot dodge a limit', () => {
  it('stops the second of two 6,000 CNY payments in a day when the bank reports the newer one first', async () => {
    const purpose = `btw_${run}`;
    const ruleId = `btw-${run}`;
    const rule = {
      ruleId,
      name: '日累计限额',
      description: '',
      logic: { '>': [{ '+': [{ var: 'window.payerSum24h' }, { var: 'amount' }] }, 1_000_000] },
      action: 'BLOCK',
      severity: 'high',
      scope: { purposes: [purpose] },
    };
    expect((await api('regulator1', 'POST', '/v1/rules', rule)).status).toBe(201);
    // A payer of its own: the window sums the payer entity's day, which other suites' transfers must not fill.
    const payer = `91500000MA${run.toUpperCase()}`.padEnd(18, '0').slice(0, 18);
    for (const [a, owner] of [
      ['a', payer],
      ['b', ENT],
    ])
      expect((await api('bank1', 'POST', '/v1/accounts', { accountId: `btw-${a}-${run}`, ownerEntityId: owner, name: a })).status).toBe(201);
    const pay = (hoursAgo: number, reference: string) =>
      api('bank1', 'POST', '/v1/transfers', {
        fromAccount: `btw-a-${run}`,
        toAccount: `btw-b-${run}`,
        amount: 600_000,
        currency: 'CNY',
        purpose,
        reference,
        executedAt: new Date(Date.now() - hoursAgo * 3600_000).toISOString(),
      });
    try {
      expect((await pay(1, `btw-newer-${run}`)).status).toBe(201);
      // Past the settling gap (the current and the previous recording minute), so the window sees the first.
      await sleep(121_000);
      const older = await pay(5, `btw-older-${run}`);
      expect([older.status, older.body.code]).toEqual([422, 'RULE_BLOCKED']);
    } finally {
      await api('regulator1', 'POST', `/v1/rules/${ruleId}/deactivate`);
    }
  }, 180_000);
});

describe("the regulator's concurrent writes", () => {
  it('end as commits and retryable conflicts, never an outage or a policy failure', async () => {
    const ruleId = `tc-${run}`;
    const rule = (name: string) => ({ ruleId, name, description: '', logic: { '>': [{ var: 'amount' }, 1e12] }, action: 'ALERT', severity: 'low' });
    expect((await api('regulator1', 'POST', '/v1/rules', rule('v1'))).status).toBe(201);
    // Next versions of one rule, all at once: each either commits or lost the race for the rule's key.
    const versions = await Promise.all(Array.from({ length: 4 }, (_, i) => api('regulator1', 'POST', '/v1/rules', rule(`v-${i}`))));
    expect(versions.map((r) => [r.status, r.body.code, r.body.details?.validationCode])).toEqual(
      versions.map((r) => (r.status === 201 ? [201, undefined, undefined] : [409, 'CONFLICT', r.body.details?.validationCode])),
    );
    expect(versions.filter((r) => r.status === 409).every((r) => r.body.code === 'CONFLICT' && r.body.details.retryable === true)).toBe(true);
    expect(versions.some((r) => r.status === 201)).toBe(true);
    // And two deactivations at once: one commits; the other lost the race or found it inactive.
    const off = await Promise.all([0, 1].map(() => api('regulator1', 'POST', `/v1/rules/${ruleId}/deactivate`)));
    expect(off.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await api('regulator1', 'GET', `/v1/rules/${ruleId}`)).body.active).toBe(false);
  });
});

describe('rules that cannot hurt', () => {
  it('refuses an operator hidden in the default of "var", and writes nothing', async () => {
    const ruleId = `tr-${run}`;
    const res = await api('regulator1', 'POST', '/v1/rules', {
      ruleId,
      name: 'x',
      description: '',
      logic: { var: ['amount', { reduce: [[1, 2, 3], { '+': [1, 1] }, 0] }] },
      action: 'BLOCK',
      severity: 'low',
    });
    expect(res).toMatchObject({ status: 400, body: { code: 'RULE_INVALID' } });
    expect(res.body.message).toContain('reduce');
    expect((await api('regulator1', 'GET', `/v1/rules/${ruleId}`)).status).toBe(404);
  });
});

describe('monitoring never goes quiet', () => {
  it('refuses probes from members, and the stream carries a probe and what follows it', async () => {
    const enterprise = clients.contract('enterprise');
    const refused = await enterprise.submitTransaction('system:recordProbe', `tm-${run}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(GatewayError);
    expect(String((refused as GatewayError).details.map((d) => d.message))).toContain('ACCESS_DENIED');

    const regulator = clients.contract('regulator');
    const probe = await regulator.submitAsync('system:recordProbe', { arguments: [`tm-${run}`] });
    const fromBlock = (await probe.getStatus()).blockNumber;
    const after = await api('bank1', 'POST', '/v1/accounts', { accountId: `tm-after-${run}`, ownerEntityId: ENT, name: 'after' });

    const controller = new AbortController();
    const res = await fetch(`${url}/v1/events?fromBlock=${fromBlock}`, { headers: { authorization: `Bearer ${keys.regulator1}` }, signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const deadline = Date.now() + 20_000;
    while (!text.includes(after.body.transactionId) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value ?? new Uint8Array()).toString('utf8');
    }
    controller.abort();
    expect(text).toContain('ProbeRecorded');
    expect(text).toContain(after.body.transactionId);
  });

  it('caps the streams one caller may hold open', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(
      controllers.map((c) => fetch(`${url}/v1/events`, { headers: { authorization: `Bearer ${keys.auditor1}` }, signal: c.signal })),
    );
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await api('auditor1', 'GET', '/v1/events');
    expect(third).toMatchObject({ status: 429, body: { code: 'STREAM_LIMIT' } });
    for (const c of controllers) c.abort();
  });
});

describe('offline messages carry the caller', () => {
  it("refuses another identity's proposal sent under one's own API key, and malformed bytes, with 4xx", async () => {
    const proposal = await api('bank1', 'POST', '/v1/offline/proposals', {
      fn: 'account:open',
      input: { accountId: `to-${run}`, ownerEntityId: ENT, name: 'o' },
    });
    const hijack = await api('enterprise1', 'POST', '/v1/offline/proposals/endorse', {
      proposal: proposal.body.proposal,
      signature: Buffer.alloc(70, 1).toString('base64'),
    });
    expect(hijack).toMatchObject({ status: 403, body: { code: 'CREATOR_MISMATCH' } });
    for (const route of ['/v1/offline/proposals/endorse', '/v1/offline/transactions/submit', '/v1/offline/commits/status']) {
      const field = route.endsWith('endorse') ? 'proposal' : route.endsWith('submit') ? 'transaction' : 'commit';
      const res = await api('bank1', 'POST', route, { [field]: 'AAAA', signature: 'AAAA' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});

describe('revocation reaches Fabric', () => {
  it("revokes a caller at the gateway at once, at the CA its profile names, and in the channel's MSP: its certificate can no longer write, and audits still verify", async () => {
    const fabric = await ensureFabric();
    const name = `rev-${run}`;
    const enrolled = await registerAndEnroll(fabric, orgByKey('bank'), { name, role: 'bank', entityId: BANK });
    const certificate = fs.readFileSync(enrolled.certPath, 'utf8');
    const privateKey = fs.readFileSync(enrolled.keyPath, 'utf8');
    keys[name] = (
      await services.callers.add({ id: name, mspId: 'BankMSP', role: 'bank', entityId: BANK, certificate, privateKey, enrollmentId: name, withApiKey: true })
    ).apiKey as string;
    expect((await api(name, 'POST', '/v1/accounts', { accountId: `rv-1-${run}`, ownerEntityId: ENT, name: 'before' })).status).toBe(201);

    await services.callers.revoke(name);
    expect((await api(name, 'POST', '/v1/accounts', { accountId: `rv-2-${run}`, ownerEntityId: ENT, name: 'after' })).status).toBe(401);

    // At the CA the connection profile names, as `gateway:admin revoke-caller` does; then into the channel's MSP.
    const crlPem = await certificateAuthority(services.config, 'BankMSP').revoke(name);
    expect(crlPem).toContain('BEGIN X509 CRL');
    await publishCrl(fabric, orgByKey('bank'), crlPem);
    // The member kept its key and talks to Fabric directly: the peers now refuse the certificate.
    const direct = connectAs(orgByKey('bank'), name, {
      identity: { mspId: 'BankMSP', credentials: Buffer.from(certificate) },
      signer: signers.newPrivateKeySigner(crypto.createPrivateKey(privateKey)),
    });
    try {
      const contract = direct.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
      const refused = await contract.submitTransaction('account:open', JSON.stringify({ accountId: `rv-3-${run}`, ownerEntityId: ENT, name: 'direct' })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(GatewayError);
      // Fabric tells the client only "access denied"; its own peer's log names the cause.
      expect(JSON.stringify((refused as GatewayError).details.map((d) => d.message))).toMatch(/access denied/);
      if (fs.existsSync(logFile('peer-bank')))
        expect(fs.readFileSync(logFile('peer-bank'), 'utf8')).toMatch(new RegExp(`certificate has been revoked \\(certificate subject=CN=${name},`));
    } finally {
      direct.close();
    }
    expect((await api('regulator1', 'GET', `/v1/accounts/rv-3-${run}`)).status).toBe(404);

    // A transaction after the config update verifies through the longer config chain.
    const later = await api('bank1', 'POST', '/v1/accounts', { accountId: `rv-4-${run}`, ownerEntityId: ENT, name: 'later' });
    // The auditor's own peer may commit the block a moment after the bank's did.
    for (let i = 0; i < 50 && (await api('auditor1', 'GET', `/v1/transactions/${later.body.transactionId}`)).status !== 200; i += 1) await sleep(100);
    const auditor = (await services.callers.get('auditor1')) as Caller;
    const bundle = await collectEvidence(
      (fn, ...args) => services.ledger.querySystem(auditor, 'qscc', fn, args),
      later.body.transactionId,
      () => Promise.resolve([]),
      {
        channel: CHANNEL,
        chaincode: CHAINCODE_NAME,
      },
    );
    expect(bundle.configBlocks.length).toBeGreaterThanOrEqual(2);
    const report = verifyEvidence(bundle, anchorsFromFile(genesisBlock()));
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['validation attested']);
    expect(report.configSequence).toBeGreaterThanOrEqual(1);
  });
});
