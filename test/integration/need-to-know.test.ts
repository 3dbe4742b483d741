// Need to know, as one invariant, on the real network: for a member, an id it may not see answers exactly like
// an id that does not exist (same status, code and sentence, no owner named), on every route the gateway
// registers; and no answer to a member carries alerts, ALERT rules, watchlist status or the other side's owner
// or bank. The expectations come from the table below, written here, not from the routes' own configuration.
import type { FastifyInstance, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import gatewayApp, { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import { checkCharacter } from '../../chaincode/src/domain/creditcode';
import { orgByKey } from '../../network/src/topology';
import { addMember, suiteServices } from '../support/gateway';

const run = Date.now().toString(36);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-ntk-it-'));
const ENT = orgByKey('enterprise').users[0]?.entityId as string;
const BANK = orgByKey('bank').users[0]?.entityId as string;
const ENT2 = '91500000MA5U0ENT20';
const NOBODY = '91500000MA5UNTK00';
const BANK2 = '91500000MA5U0BNK23';
const services = suiteServices(dataDir);

let app: FastifyInstance;
let keys: Record<string, string>;
let routes: RouteOptions[] = [];

type Member = 'bank' | 'enterprise';
type Kind = 'account' | 'transfer' | 'project' | 'filing' | 'upload' | 'transaction' | 'rule' | 'alert' | 'entity' | 'creditEntry';
interface Request {
  readonly method: string;
  readonly url: string;
  readonly payload?: unknown;
  readonly contentType?: string;
}

/** The ids of each kind: the member's own (per member), another entity's, and one that does not exist. */
const ids: Record<Kind, { own: Record<Member, string>; other: string; missing: string }> = {
  account: { own: { bank: `ntk-a1-${run}`, enterprise: `ntk-a1-${run}` }, other: `ntk-a2-${run}`, missing: `ntk-ax-${run}` },
  transfer: { own: { bank: '', enterprise: '' }, other: '', missing: `TRF-${'0'.repeat(32)}` },
  project: { own: { bank: `ntk-p1-${run}`, enterprise: `ntk-p1-${run}` }, other: `ntk-p2-${run}`, missing: `ntk-px-${run}` },
  filing: { own: { bank: '', enterprise: '' }, other: '', missing: `FIL-${'0'.repeat(24)}` },
  upload: { own: { bank: '', enterprise: '' }, other: '', missing: '00000000-0000-4000-8000-000000000000' },
  transaction: { own: { bank: '', enterprise: '' }, other: '', missing: '0'.repeat(64) },
  rule: { own: { bank: `ntk-block-${run}`, enterprise: `ntk-block-${run}` }, other: `ntk-alert-${run}`, missing: `ntk-rx-${run}` },
  alert: { own: { bank: '', enterprise: '' }, other: '', missing: 'ALR-000000000000000000000000-1' },
  // An entity: the member's own, another with a credit file, and a well-formed code nobody holds.
  entity: { own: { bank: BANK, enterprise: ENT }, other: ENT2, missing: `${NOBODY}${checkCharacter(NOBODY)}` },
  creditEntry: { own: { bank: '', enterprise: '' }, other: '', missing: `CE-${'0'.repeat(24)}-1` },
};

const transfer = (from: string, to: string, reference: string) => ({
  fromAccount: from,
  toAccount: to,
  amount: 1,
  currency: 'CNY',
  purpose: 'goods',
  reference,
});
const amendment = {
  service: { name: `ntk-svc-${run}`, category: 'application', form: 'website', applicationField: 'finance', serverAddresses: ['10.1.1.1'], description: 'x' },
  attachments: [],
};
const note = { note: 'ntk' };
const sanction = (entityId: string, extra: Record<string, unknown> = {}) => ({
  entityId,
  legalBasis: 'ntk',
  decisionNumber: `ntk-${entityId}-${run}`,
  amount: 100,
  publicationDays: 30,
  summary: 'ntk',
  ...extra,
});

/**
 * Every route, written out: which members it serves at all (the rest get the same 403 whatever the id), the kind
 * of id it takes (none: it takes no member's id) and the request that carries one.
 */
const TABLE: Record<string, { members: Member[]; kind?: Kind; request?: (id: string, who: Member) => Request; ownOnly?: boolean }> = {
  'GET /health': { members: ['bank', 'enterprise'] },
  'GET /ready': { members: ['bank', 'enterprise'] },
  'GET /metrics': { members: [] },
  'GET /v1/me': { members: ['bank', 'enterprise'] },
  'GET /v1/events': { members: [] },
  'GET /v1/statistics': { members: [] },
  'GET /v1/typologies': { members: [] },
  'POST /v1/typologies': { members: [] },
  'GET /v1/watchlist': { members: [] },
  'POST /v1/watchlist': { members: [] },
  'POST /v1/watchlist/:kind/:value/remove': {
    members: [],
    kind: 'account',
    request: (id) => ({ method: 'POST', url: `/v1/watchlist/account/${id}/remove`, payload: note }),
  },
  'GET /v1/network/blocks': { members: [] },
  'GET /v1/network/blocks/:blockNumber': { members: [] },
  'GET /v1/network/chaincode': { members: [] },
  'GET /v1/network/nodes': { members: [] },
  'POST /v1/audit/verifications': { members: [] },
  'GET /v1/audit/transactions/:transactionId': { members: [], kind: 'transaction', request: (id) => ({ method: 'GET', url: `/v1/audit/transactions/${id}` }) },
  'GET /v1/audit/transactions/:transactionId/evidence': {
    members: [],
    kind: 'transaction',
    request: (id) => ({ method: 'GET', url: `/v1/audit/transactions/${id}/evidence` }),
  },
  'GET /v1/public/filings/:filingNumber': { members: ['bank', 'enterprise'] },
  'GET /v1/public/credit/:entityId': { members: ['bank', 'enterprise'], kind: 'entity', request: (id) => ({ method: 'GET', url: `/v1/public/credit/${id}` }) },
  'GET /v1/credit/model': { members: ['bank', 'enterprise'] },
  'POST /v1/credit/model': { members: [] },
  'POST /v1/credit/sanctions': { members: [], kind: 'entity', request: (id) => ({ method: 'POST', url: '/v1/credit/sanctions', payload: sanction(id) }) },
  'POST /v1/credit/commendations': {
    members: [],
    kind: 'entity',
    request: (id) => ({ method: 'POST', url: '/v1/credit/commendations', payload: { entityId: id, summary: 'ntk' } }),
  },
  'POST /v1/credit/late-reports': {
    members: [],
    kind: 'transfer',
    request: (id) => ({ method: 'POST', url: '/v1/credit/late-reports', payload: { transferIds: [id] } }),
  },
  'GET /v1/credit/entities/:entityId': {
    members: ['bank', 'enterprise'],
    kind: 'entity',
    request: (id) => ({ method: 'GET', url: `/v1/credit/entities/${id}` }),
  },
  // A member reads its own file only: any other code, held or not, is refused alike.
  'GET /v1/credit/entities/:entityId/file': {
    members: ['bank', 'enterprise'],
    ownOnly: true,
    kind: 'entity',
    request: (id) => ({ method: 'GET', url: `/v1/credit/entities/${id}/file` }),
  },
  'POST /v1/credit/objections': {
    members: ['bank', 'enterprise'],
    kind: 'creditEntry',
    request: (id) => ({ method: 'POST', url: '/v1/credit/objections', payload: { entryId: id, note: 'ntk' } }),
  },
  'GET /v1/credit/objections': { members: [] },
  'POST /v1/credit/objections/:entityId/:entryId/decision': {
    members: [],
    kind: 'creditEntry',
    request: (id) => ({ method: 'POST', url: `/v1/credit/objections/${ENT2}/${id}/decision`, payload: { decision: 'uphold', note: 'ntk' } }),
  },
  'GET /v1/credit/statistics': { members: [] },
  'GET /v1/alerts': { members: [] },
  'POST /v1/alerts/patterns': { members: [] },
  'GET /v1/alerts/:alertId': { members: [], kind: 'alert', request: (id) => ({ method: 'GET', url: `/v1/alerts/${id}` }) },
  'GET /v1/alerts/:alertId/history': { members: [], kind: 'alert', request: (id) => ({ method: 'GET', url: `/v1/alerts/${id}/history` }) },
  'POST /v1/alerts/:alertId/acknowledge': {
    members: [],
    kind: 'alert',
    request: (id) => ({ method: 'POST', url: `/v1/alerts/${id}/acknowledge`, payload: note }),
  },
  'POST /v1/alerts/:alertId/resolve': { members: [], kind: 'alert', request: (id) => ({ method: 'POST', url: `/v1/alerts/${id}/resolve`, payload: note }) },
  'POST /v1/alerts/:alertId/false-positive': {
    members: [],
    kind: 'alert',
    request: (id) => ({ method: 'POST', url: `/v1/alerts/${id}/false-positive`, payload: note }),
  },
  'GET /v1/rules': { members: ['bank', 'enterprise'] },
  'POST /v1/rules': { members: [] },
  'GET /v1/rules/:ruleId': { members: ['bank', 'enterprise'], kind: 'rule', request: (id) => ({ method: 'GET', url: `/v1/rules/${id}` }) },
  'GET /v1/rules/:ruleId/versions': { members: ['bank', 'enterprise'], kind: 'rule', request: (id) => ({ method: 'GET', url: `/v1/rules/${id}/versions` }) },
  'POST /v1/rules/:ruleId/deactivate': { members: [], kind: 'rule', request: (id) => ({ method: 'POST', url: `/v1/rules/${id}/deactivate` }) },
  'POST /v1/accounts': {
    members: ['bank', 'enterprise'],
    kind: 'project',
    // Attaching an account to a project: only to one the member may see.
    request: (id, who) => ({
      method: 'POST',
      url: '/v1/accounts',
      payload: {
        accountId: `ntk-att-${who}-${id}`.slice(0, 64),
        ownerEntityId: ENT,
        name: 'attach',
        projectId: id,
        ...(who === 'enterprise' ? { holderBankId: BANK } : {}),
      },
    }),
  },
  'GET /v1/accounts/:accountId': { members: ['bank', 'enterprise'], kind: 'account', request: (id) => ({ method: 'GET', url: `/v1/accounts/${id}` }) },
  'GET /v1/accounts/:accountId/counterparties': {
    members: ['bank'],
    kind: 'account',
    request: (id) => ({ method: 'GET', url: `/v1/accounts/${id}/counterparties` }),
  },
  'POST /v1/projects': { members: ['bank'] },
  'GET /v1/projects/:projectId': { members: ['bank', 'enterprise'], kind: 'project', request: (id) => ({ method: 'GET', url: `/v1/projects/${id}` }) },
  'GET /v1/projects/:projectId/flows': { members: ['bank'], kind: 'project', request: (id) => ({ method: 'GET', url: `/v1/projects/${id}/flows` }) },
  'POST /v1/transfers': {
    members: ['bank', 'enterprise'],
    kind: 'account',
    request: (id, who) => ({ method: 'POST', url: '/v1/transfers', payload: transfer(id, `ntk-a3-${run}`, `ntk-r-${who}-${id}`.slice(0, 64)) }),
  },
  'POST /v1/transfers/batch': {
    members: ['bank', 'enterprise'],
    kind: 'account',
    request: (id, who) => ({
      method: 'POST',
      url: '/v1/transfers/batch',
      payload: { items: [transfer(id, `ntk-a3-${run}`, `ntk-rb-${who}-${id}`.slice(0, 64))] },
    }),
  },
  'POST /v1/transfers/check': {
    members: ['bank', 'enterprise'],
    kind: 'account',
    request: (id) => ({ method: 'POST', url: '/v1/transfers/check', payload: transfer(id, `ntk-a3-${run}`, '') }),
  },
  'GET /v1/transfers/settings': { members: ['bank', 'enterprise'] },
  'PUT /v1/transfers/settings': { members: [] },
  'GET /v1/transfers/:transferId': { members: ['bank', 'enterprise'], kind: 'transfer', request: (id) => ({ method: 'GET', url: `/v1/transfers/${id}` }) },
  'POST /v1/transfers/uploads': { members: ['bank', 'enterprise'] },
  'GET /v1/transfers/uploads/:uploadId': {
    members: ['bank', 'enterprise'],
    kind: 'upload',
    request: (id) => ({ method: 'GET', url: `/v1/transfers/uploads/${id}` }),
  },
  'GET /v1/traces': { members: ['bank'], kind: 'account', request: (id) => ({ method: 'GET', url: `/v1/traces?accountId=${id}&direction=forward&depth=3` }) },
  'GET /v1/transactions/:transactionId': {
    members: ['bank', 'enterprise'],
    kind: 'transaction',
    request: (id) => ({ method: 'GET', url: `/v1/transactions/${id}` }),
  },
  'GET /v1/filings': { members: ['enterprise'] },
  'POST /v1/filings': { members: ['enterprise'] },
  'GET /v1/filings/:filingId': { members: ['enterprise'], kind: 'filing', request: (id) => ({ method: 'GET', url: `/v1/filings/${id}` }) },
  'GET /v1/filings/:filingId/history': { members: ['enterprise'], kind: 'filing', request: (id) => ({ method: 'GET', url: `/v1/filings/${id}/history` }) },
  'GET /v1/filings/:filingId/person-in-charge': {
    members: ['enterprise'],
    kind: 'filing',
    request: (id) => ({ method: 'GET', url: `/v1/filings/${id}/person-in-charge` }),
  },
  'PUT /v1/filings/:filingId': { members: ['enterprise'], kind: 'filing', request: (id) => ({ method: 'PUT', url: `/v1/filings/${id}`, payload: amendment }) },
  'POST /v1/filings/:filingId/deregister': {
    members: ['enterprise'],
    kind: 'filing',
    request: (id) => ({ method: 'POST', url: `/v1/filings/${id}/deregister`, payload: note }),
  },
  'POST /v1/filings/:filingId/review': { members: [], kind: 'filing', request: (id) => ({ method: 'POST', url: `/v1/filings/${id}/review`, payload: note }) },
  'POST /v1/filings/:filingId/approve': { members: [], kind: 'filing', request: (id) => ({ method: 'POST', url: `/v1/filings/${id}/approve`, payload: note }) },
  'POST /v1/filings/:filingId/return': { members: [], kind: 'filing', request: (id) => ({ method: 'POST', url: `/v1/filings/${id}/return`, payload: note }) },
  'POST /v1/filings/:filingId/reject': { members: [], kind: 'filing', request: (id) => ({ method: 'POST', url: `/v1/filings/${id}/reject`, payload: note }) },
  // Offline signing carries signed bytes, not ids: the creator and signature checks are the trust suite's.
  'POST /v1/offline/proposals': { members: ['bank', 'enterprise'] },
  'POST /v1/offline/proposals/endorse': { members: ['bank', 'enterprise'] },
  'POST /v1/offline/transactions/submit': { members: ['bank', 'enterprise'] },
  'POST /v1/offline/commits/status': { members: ['bank', 'enterprise'] },
};

const as: Record<Member, string> = { bank: 'bank1', enterprise: 'enterprise1' };

async function call(who: string, r: Request): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await app.inject({
    method: r.method as 'GET',
    url: r.url,
    headers: { authorization: `Bearer ${keys[who]}`, ...(r.payload === undefined ? {} : { 'content-type': r.contentType ?? 'application/json' }) },
    ...(r.payload === undefined ? {} : { payload: typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload) }),
  });
  return { status: res.statusCode, body: (res.body ? res.json() : {}) as Record<string, unknown>, text: res.body };
}

/** What only the regulator and auditors may know, which no member's answer may carry. */
const secrets: string[] = [];

beforeAll(async () => {
  keys = await bootstrapCallers(services.config, services.callers);
  keys[`bank2-${run}`] = await addMember(services, { name: `bank2-${run}`, org: 'bank', entityId: BANK2 });
  keys[`ent2-${run}`] = await addMember(services, { name: `ent2-${run}`, org: 'enterprise', entityId: ENT2 });
  app = await buildApp(services);
  const probe = Fastify();
  probe.addHook('onRoute', (route) => void routes.push(route));
  await probe.register(gatewayApp, { services });
  await probe.ready();
  await probe.close();
  routes = routes.filter((r) => !r.schema?.hide && [r.method].flat().some((m) => m !== 'HEAD'));

  const ok = async (who: string, r: Request): Promise<Record<string, unknown>> => {
    const res = await call(who, r);
    if (res.status >= 300) throw new Error(`${who} ${r.method} ${r.url}: ${res.status} ${res.text}`);
    return res.body;
  };
  const bank2 = `bank2-${run}`;
  const ent2 = `ent2-${run}`;
  // Rules: a BLOCK rule members may read, an ALERT rule on this suite's purpose that they may not, and a watch.
  const rule = (ruleId: string, action: string) => ({
    ruleId,
    name: ruleId,
    description: '',
    logic: { '>=': [{ var: 'amount' }, 1] },
    action,
    severity: 'low',
  });
  await ok('regulator1', { method: 'POST', url: '/v1/rules', payload: { ...rule(ids.rule.own.bank, 'BLOCK'), logic: { '>': [{ var: 'amount' }, 1e13] } } });
  await ok('regulator1', { method: 'POST', url: '/v1/rules', payload: { ...rule(ids.rule.other, 'ALERT'), scope: { purposes: ['goods'] } } });
  await ok('regulator1', { method: 'POST', url: '/v1/watchlist', payload: { kind: 'account', value: ids.account.other, reason: 'ntk' } });
  secrets.push(ids.rule.other, BANK2, ENT2);
  // Projects and accounts: the members' own (the enterprise owns, the bank holds), and the neighbours'.
  const project = (projectId: string, ownerEntityId: string) => ({
    projectId,
    name: 'p',
    type: 'donation',
    ownerEntityId,
    budgets: [{ purpose: 'goods', amount: 1_000_000 }],
  });
  await ok('bank1', { method: 'POST', url: '/v1/projects', payload: project(ids.project.own.bank, ENT) });
  await ok(bank2, { method: 'POST', url: '/v1/projects', payload: project(ids.project.other, ENT2) });
  await ok('bank1', { method: 'POST', url: '/v1/accounts', payload: { accountId: ids.account.own.bank, ownerEntityId: ENT, name: 'own' } });
  await ok(bank2, { method: 'POST', url: '/v1/accounts', payload: { accountId: ids.account.other, ownerEntityId: ENT2, name: 'other' } });
  await ok(bank2, { method: 'POST', url: '/v1/accounts', payload: { accountId: `ntk-a3-${run}`, ownerEntityId: ENT2, name: 'other2' } });
  // Transfers: the members' own pays the neighbour; the neighbours' own is between themselves. Both raise an alert.
  const own = await call('bank1', { method: 'POST', url: '/v1/transfers', payload: transfer(ids.account.own.bank, ids.account.other, `ntk-own-${run}`) });
  const other = await call(bank2, { method: 'POST', url: '/v1/transfers', payload: transfer(ids.account.other, `ntk-a3-${run}`, `ntk-other-${run}`) });
  const ownId = (own.body.result as { transferId: string }).transferId;
  const otherId = (other.body.result as { transferId: string }).transferId;
  ids.transfer.own = { bank: ownId, enterprise: ownId };
  ids.transfer.other = otherId;
  ids.transaction.own.bank = own.body.transactionId as string;
  ids.transaction.other = other.body.transactionId as string;
  for (const t of [ownId, otherId]) {
    const alerts = (await ok('regulator1', { method: 'GET', url: `/v1/transfers/${t}` })).alerts as string[];
    expect(alerts).toHaveLength(1);
    secrets.push(...alerts);
  }
  ids.alert.other = secrets[secrets.length - 1] as string;
  // Filings: the enterprise's own and the neighbour's.
  const filing = (creditCode: string, name: string) => ({
    applicant: { name: '公司', type: 'enterprise', creditCode },
    service: { name, category: 'application', form: 'website', applicationField: 'finance', serverAddresses: ['10.2.2.2'], description: 'x' },
    attachments: [],
    personInCharge: { name: '王五', idNumber: '11010519491231002X', phone: '+86-23-6000-0002', email: 'w@example.cn' },
  });
  const ownFiling = await call('enterprise1', { method: 'POST', url: '/v1/filings', payload: filing(ENT, `ntk-own-${run}`) });
  const otherFiling = await call(ent2, { method: 'POST', url: '/v1/filings', payload: filing(ENT2, `ntk-other-${run}`) });
  ids.filing.own.enterprise = (ownFiling.body.result as { filingId: string }).filingId;
  ids.filing.other = (otherFiling.body.result as { filingId: string }).filingId;
  ids.transaction.own.enterprise = ownFiling.body.transactionId as string;
  // Uploads: each member's own, and a neighbour's.
  // Two different accounts: the upload refuses a row paying its own payer, as the chain would.
  const csv = (from: string, reference: string) =>
    `reference,payerAccount,payeeAccount,amount,executedAt,purpose\n${reference},${from},${from === ids.account.other ? `ntk-a3-${run}` : ids.account.other},1,${new Date(Date.now() - 60_000).toISOString()},goods\n`;
  const upload = async (who: string, from: string, reference: string): Promise<string> =>
    (await ok(who, { method: 'POST', url: '/v1/transfers/uploads', payload: csv(from, reference), contentType: 'text/csv' })).uploadId as string;
  ids.upload.own.bank = await upload('bank1', ids.account.own.bank, `ntk-u1-${run}`);
  ids.upload.own.enterprise = await upload('enterprise1', ids.account.own.bank, `ntk-u2-${run}`);
  ids.upload.other = await upload(bank2, ids.account.other, `ntk-u3-${run}`);
  // Credit: an entry in each member's own file, and in the neighbour's a sanction in publication, one already
  // repaired and a commendation: a member may learn the neighbour's grade and the first sanction, nothing else.
  const entry = async (url: string, payload: unknown): Promise<string> =>
    ((await ok('regulator1', { method: 'POST', url, payload })).result as { entryId: string }).entryId;
  ids.creditEntry.own.bank = await entry('/v1/credit/commendations', { entityId: BANK, summary: `ntk-${run}` });
  ids.creditEntry.own.enterprise = await entry('/v1/credit/commendations', { entityId: ENT, summary: `ntk-${run}` });
  await entry('/v1/credit/sanctions', sanction(ENT2));
  const repaired = sanction(ENT2, {
    decisionNumber: `ntk-repaired-${run}`,
    publicationDays: 1,
    decidedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  });
  await entry('/v1/credit/sanctions', repaired);
  ids.creditEntry.other = await entry('/v1/credit/commendations', { entityId: ENT2, summary: `ntk-praise-${run}` });
  secrets.push(`ntk-repaired-${run}`, `ntk-praise-${run}`, ids.creditEntry.other);
});

afterAll(async () => {
  await call('regulator1', { method: 'POST', url: `/v1/rules/${ids.rule.other}/deactivate` });
  await call('regulator1', { method: 'POST', url: `/v1/rules/${ids.rule.own.bank}/deactivate` });
  await app?.close();
  await services.close();
});

describe('need to know on every route', () => {
  it('covers every route the gateway registers, and the table names no route it does not', () => {
    const registered = routes.flatMap((r) =>
      [r.method]
        .flat()
        .filter((m) => m !== 'HEAD')
        .map((m) => `${m} ${r.url}`),
    );
    expect([...new Set(registered)].sort()).toEqual(Object.keys(TABLE).sort());
  });

  for (const who of ['bank', 'enterprise'] as const) {
    it(`answers ${who} for another entity's id exactly as for a missing one, and never tells it what only supervisors know`, async () => {
      let walked = 0;
      for (const [route, entry] of Object.entries(TABLE)) {
        if (!entry.kind || !entry.request) continue;
        const kind = ids[entry.kind];
        const answers = {
          own: kind.own[who] ? await call(as[who], entry.request(kind.own[who], who)) : undefined,
          other: await call(as[who], entry.request(kind.other, who)),
          missing: await call(as[who], entry.request(kind.missing, who)),
        };
        walked += 3;
        const where = `${who} ${route}`;
        // The same status, code and sentence (the id itself aside), and no details that tell them apart.
        const same = (a: { status: number; body: Record<string, unknown> }, id: string) => ({
          status: a.status,
          code: a.body.code,
          message: String(a.body.message ?? '').replaceAll(id, '<id>'),
          details: a.body.details,
        });
        expect([where, same(answers.other, kind.other)]).toEqual([where, same(answers.missing, kind.missing)]);
        if (!entry.members.includes(who)) {
          expect([where, answers.other.status, answers.other.body.code]).toEqual([where, 403, 'ACCESS_DENIED']);
          continue;
        }
        // Answered as missing, or (a list by entity) as empty; never as forbidden, which would say it exists. A
        // route that serves a member's own only refuses every other id alike, so the refusal says nothing.
        if (entry.ownOnly) expect([where, answers.other.status, answers.other.body.code]).toEqual([where, 403, 'ACCESS_DENIED']);
        else expect([where, answers.other.status]).not.toEqual([where, 403]);
        if (answers.own) expect([where, String(answers.own.body.code ?? '')]).not.toEqual([where, expect.stringMatching(/_NOT_FOUND$/)]);
        for (const [which, a] of Object.entries(answers)) {
          if (!a) continue;
          // The id asked for may be echoed; nothing else only supervisors know may appear.
          const asked = which === 'own' ? kind.own[who] : which === 'other' ? kind.other : kind.missing;
          const text = a.text.replaceAll(asked, '<id>');
          for (const secret of secrets) expect([where, which, text.includes(secret)]).toEqual([where, which, false]);
          expect([where, which, text.includes('watchlisted'), text.includes('"alerts"')]).toEqual([where, which, false, false]);
        }
      }
      expect(walked).toBeGreaterThan(60);
    });
  }

  it('lists nothing of another entity for an enterprise that names it', async () => {
    const other = await call('enterprise1', { method: 'GET', url: `/v1/filings?entityId=${ENT2}` });
    const none = await call('enterprise1', { method: 'GET', url: '/v1/filings?entityId=91500000MA5U0XXX0X' });
    expect([other.status, other.body.items]).toEqual([200, []]);
    expect(other.body).toEqual(none.body);
  });
});
