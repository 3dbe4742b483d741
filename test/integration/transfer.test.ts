// Transfers at the pace banks report them, on the real network: one payer's concurrent transfers commit without
// conflicts, batches, business-time limits, and a CSV upload interrupted and resumed without a row twice.
import { sleep } from '@regchain/common';
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, type Services } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import type { createServices } from '../../gateway/src/services';
import { type BatchOutcome, Uploads } from '../../gateway/src/uploads';
import { orgByKey } from '../../network/src/topology';
import { suiteServices } from '../support/gateway';

const run = Date.now().toString(36);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-transfer-it-'));
const ENT = orgByKey('enterprise').users[0]?.entityId as string;
const BANK = orgByKey('bank').users[0]?.entityId as string;
const ISO = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

let services: ReturnType<typeof createServices>;
let app: FastifyInstance;
let keys: Record<string, string>;

/** An app over the shared services, with the given uploads service (or the one the app makes). */
async function appWith(uploads?: Uploads): Promise<FastifyInstance> {
  const s: Services = { ...services, ...(uploads ? { uploads } : {}) };
  return buildApp(s);
}

beforeAll(async () => {
  services = suiteServices(dataDir, { uploadBatchSize: 40 });
  keys = await bootstrapCallers(services.config, services.callers);
  app = await appWith();
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await services.close();
});

async function api<T = any>(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, on: FastifyInstance = app) {
  const res = await on.inject({
    method,
    url,
    headers: { authorization: `Bearer ${keys[who]}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() as T };
}

const transfer = (from: string, to: string, amount: number, reference: string, extra: Record<string, unknown> = {}) => ({
  fromAccount: from,
  toAccount: to,
  amount,
  currency: 'CNY',
  purpose: `p_${run}`,
  reference,
  ...extra,
});

describe('transfers of one payer entity, 32 at once', () => {
  it('all commit: the write path reads nothing a concurrent transfer writes', async () => {
    // A rule that reads the payer's windows and round trips, so those reads happen on every transfer.
    await api('regulator1', 'POST', '/v1/rules', {
      ruleId: `windows-${run}`,
      name: 'windows',
      description: 'reads windows',
      logic: { or: [{ '>': [{ var: 'window.payerSum24h' }, 1e14] }, { and: [{ var: 'pattern.roundTrip' }, { '>': [{ var: 'amount' }, 1e13] }] }] },
      action: 'ALERT',
      severity: 'low',
    });
    const accounts = Array.from({ length: 16 }, (_v, i) => `one-${run}-${i}`);
    await Promise.all(accounts.map((a) => api('bank1', 'POST', '/v1/accounts', { accountId: a, ownerEntityId: BANK, name: a })));
    await api('bank1', 'POST', '/v1/accounts', { accountId: `sink-${run}`, ownerEntityId: ENT, name: 'sink' });
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_v, i) =>
        api('bank1', 'POST', '/v1/transfers', transfer(accounts[i % 16] as string, `sink-${run}`, 100 + i, `one-${run}-${i}`)),
      ),
    );
    const conflicts = answers.filter((a) => a.status === 409).length;
    // A transfer recorded in the first second of a minute may meet one of the minute before in its block.
    expect(conflicts).toBeLessThanOrEqual(1);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(31);
  });
});

describe('batches and business time', () => {
  beforeAll(async () => {
    await api('bank1', 'POST', '/v1/accounts', { accountId: `bt-a-${run}`, ownerEntityId: BANK, name: 'a' });
    await api('bank1', 'POST', '/v1/accounts', { accountId: `bt-b-${run}`, ownerEntityId: ENT, name: 'b' });
  });

  it('records a batch; partial mode leaves out the item a BLOCK rule stops, naming it', async () => {
    await api('regulator1', 'POST', '/v1/rules', {
      ruleId: `cap-${run}`,
      name: 'cap',
      description: '',
      logic: { '==': [{ var: 'amount' }, 777_777] },
      action: 'BLOCK',
      severity: 'high',
    });
    const items = [
      transfer(`bt-a-${run}`, `bt-b-${run}`, 1, `b1-${run}`),
      transfer(`bt-a-${run}`, `bt-b-${run}`, 777_777, `b2-${run}`),
      transfer(`bt-a-${run}`, `bt-b-${run}`, 3, `b3-${run}`),
    ];
    const atomic = await api('bank1', 'POST', '/v1/transfers/batch', { items });
    expect([atomic.status, atomic.body.code, atomic.body.details.index]).toEqual([422, 'RULE_BLOCKED', 1]);
    const partial = await api('bank1', 'POST', '/v1/transfers/batch', { items, mode: 'partial' });
    expect(partial.status).toBe(200);
    expect(partial.body.result.results.map((r: { status: string }) => r.status)).toEqual(['recorded', 'failed', 'recorded']);
    await api('regulator1', 'POST', `/v1/rules/cap-${run}/deactivate`);
  });

  it('keeps business time within the limits the regulator sets', async () => {
    expect((await api('regulator1', 'PUT', '/v1/transfers/settings', { maxBackdateDays: 30 })).status).toBe(200);
    const now = Date.now();
    const ahead = await api('bank1', 'POST', '/v1/transfers', transfer(`bt-a-${run}`, `bt-b-${run}`, 1, `t1-${run}`, { executedAt: ISO(now + 3_600_000) }));
    expect([ahead.status, ahead.body.code]).toEqual([400, 'TRANSFER_INVALID']);
    const executedAt = ISO(now - 40 * 86_400_000);
    const old = transfer(`bt-a-${run}`, `bt-b-${run}`, 1, `t2-${run}`, { executedAt });
    expect((await api('bank1', 'POST', '/v1/transfers', old)).body.code).toBe('TRANSFER_INVALID');
    expect((await api('bank1', 'PUT', '/v1/transfers/settings', { maxBackdateDays: null })).status).toBe(403);
    try {
      expect((await api('regulator1', 'PUT', '/v1/transfers/settings', { maxBackdateDays: 60 })).status).toBe(200);
      const recorded = await api('bank1', 'POST', '/v1/transfers', old);
      expect(recorded.status).toBe(201);
      expect(recorded.body.result.executedAt).toBe(executedAt);
    } finally {
      await api('regulator1', 'PUT', '/v1/transfers/settings', { maxBackdateDays: 30 });
    }
  });
});

describe('CSV upload', () => {
  it('is checked whole, and resumes after a crash without recording a row twice', async () => {
    await api('bank1', 'POST', '/v1/accounts', { accountId: `csv-a-${run}`, ownerEntityId: BANK, name: 'a' });
    await api('bank1', 'POST', '/v1/accounts', { accountId: `csv-b-${run}`, ownerEntityId: ENT, name: 'b' });
    const header = 'reference,payerAccount,payeeAccount,amount,executedAt,purpose';
    const when = ISO(Date.now() - 3_600_000);
    const rows = Array.from({ length: 120 }, (_v, i) => `csv-${run}-${i},csv-a-${run},csv-b-${run},${1000 + i},${when},csv_${run}`);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/transfers/uploads',
      headers: { authorization: `Bearer ${keys.bank1}`, 'content-type': 'text/csv' },
      payload: [header, rows[0], `x-${run},csv-a-${run},csv-b-${run},12.5,${when},csv_${run}`].join('\n'),
    });
    expect([bad.statusCode, bad.json().details.problems[0].line]).toEqual([400, 3]);

    // A gateway that dies after the second batch committed, before it noted so.
    const submit = async (callerId: string, items: readonly unknown[]): Promise<BatchOutcome> => {
      const caller = await services.callers.get(callerId);
      if (!caller) throw new Error('no caller');
      return (await services.ledger.submit(caller, { fn: 'transfer:recordBatch', input: { items, mode: 'partial' } })).result as BatchOutcome;
    };
    const crashing = new Uploads(services.database, dataDir, submit, {
      batchSize: 40,
      onBatchAnswered: (_id, batch) => {
        if (batch === 1) throw new Error('gateway killed');
      },
    });
    const first = await appWith(crashing);
    const created = await first.inject({
      method: 'POST',
      url: '/v1/transfers/uploads',
      headers: { authorization: `Bearer ${keys.bank1}`, 'content-type': 'text/csv' },
      payload: [header, ...rows].join('\n'),
    });
    expect(created.statusCode).toBe(202);
    const { uploadId } = created.json() as { uploadId: string };
    await crashing.idle();
    expect((await api('bank1', 'GET', `/v1/transfers/uploads/${uploadId}`, undefined, first)).body).toMatchObject({ status: 'running', processed: 40 });
    await first.close();

    // The restarted gateway resumes on its own once ready.
    const restarted = await appWith();
    await restarted.ready();
    let status: any;
    for (let i = 0; i < 120; i += 1) {
      status = (await api('bank1', 'GET', `/v1/transfers/uploads/${uploadId}`, undefined, restarted)).body;
      if (status.status !== 'running') break;
      await sleep(250);
    }
    await restarted.close();
    expect(status).toMatchObject({ status: 'done', total: 120, processed: 120, recorded: 80, alreadyRecorded: 40, failed: 0 });
    // Another member's upload answers as missing.
    expect((await api('enterprise1', 'GET', `/v1/transfers/uploads/${uploadId}`)).body.code).toBe('UPLOAD_NOT_FOUND');
    const stats = await api('regulator1', 'GET', '/v1/statistics');
    const line = stats.body.transfers.find((t: { purpose: string }) => t.purpose === `csv_${run}`);
    expect(line).toMatchObject({ count: 120, amount: rows.reduce((s, _r, i) => s + 1000 + i, 0) });
  });
});
