// Who may call what, stated here and not read from the routes: for every /v1 route that needs a key (the public
// lookup needs none; authentication.test covers it), the roles it serves and
// the status its documentation promises. An allowed role gets exactly that status (the fake ledger answering
// with a record of the documented shape, blocks and evidence recorded from the real network, and offline steps
// the role signs with its own key); any other role gets 403 ACCESS_DENIED, and the ledger hears nothing.
import { type TSchema } from '@sinclair/typebox';
import { DEFAULT_CREDIT_MODEL, DEFAULT_TYPOLOGY_PARAMETERS, type Role } from '@regchain/common';
import { gateway as gatewayProtos } from '@hyperledger/fabric-protos';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { identityOf, RECORDED, RECORDED_ANCHORS, type RouteTestApp, startRouteTestApp, TX } from '../../test/harness';

const R: Role = 'regulator';
const E: Role = 'enterprise';
const B: Role = 'bank';
const A: Role = 'auditor';
const EVERYONE = [R, E, B, A];
const SUPERVISORS = [R, A];

const note = { note: 'checked' };
const ENTITY = '91500000MA5U0ENT1W';
const transfer = { fromAccount: 'acc-a', toAccount: 'acc-b', amount: 100, currency: 'CNY', purpose: 'goods', reference: 'ref-1' };
const service = { name: 'svc', category: 'application', form: 'website', applicationField: 'finance', serverAddresses: ['10.1.1.1'], description: 'x' };
const filing = {
  applicant: { name: '公司', type: 'enterprise', creditCode: '91500000MA5U0ENT1W' },
  service,
  attachments: [],
  personInCharge: { name: '王五', idNumber: '11010519491231002X', phone: '+86-23-6000-0002', email: 'w@example.cn' },
};
const rule = { ruleId: 'r-1', name: 'r', description: '', logic: { '>=': [{ var: 'amount' }, 1] }, action: 'ALERT', severity: 'low' };
const pattern = { key: 'k-1', typology: 'fan-in', parametersVersion: 0, score: 0.5, accounts: ['acc-a'], transferIds: ['t-1'] };
const csv = 'reference,payerAccount,payeeAccount,amount,executedAt\nref-1,acc-a,acc-b,100,2026-11-01T08:00:00Z\n';
const UPLOAD = '00000000-0000-4000-8000-000000000000';

interface Expectation {
  readonly roles: readonly Role[];
  /** The documented success status. */
  readonly status: number;
  readonly url?: string;
  /** The body, or how the role makes it (offline steps sign what the step before handed back). */
  readonly payload?: unknown | ((role: Role) => unknown);
  readonly contentType?: string;
}

/** Every /v1 route the gateway serves, written out. */
const TABLE: Record<string, Expectation> = {
  'GET /v1/me': { roles: EVERYONE, status: 200 },
  'POST /v1/filings': { roles: [E], status: 201, payload: filing },
  'GET /v1/filings': { roles: [R, A, E], status: 200 },
  'GET /v1/filings/:filingId': { roles: [R, A, E], status: 200 },
  'PUT /v1/filings/:filingId': { roles: [E], status: 200, payload: { service, attachments: [] } },
  'POST /v1/filings/:filingId/review': { roles: [R], status: 200, payload: note },
  'POST /v1/filings/:filingId/approve': { roles: [R], status: 200, payload: note },
  'POST /v1/filings/:filingId/return': { roles: [R], status: 200, payload: note },
  'POST /v1/filings/:filingId/reject': { roles: [R], status: 200, payload: note },
  'POST /v1/filings/:filingId/deregister': { roles: [E, R], status: 200, payload: note },
  'GET /v1/filings/:filingId/history': { roles: [R, A, E], status: 200 },
  'GET /v1/filings/:filingId/person-in-charge': { roles: [R, E], status: 200 },
  'POST /v1/rules': { roles: [R], status: 201, payload: rule },
  'GET /v1/rules': { roles: EVERYONE, status: 200 },
  'GET /v1/rules/:ruleId': { roles: EVERYONE, status: 200 },
  'GET /v1/rules/:ruleId/versions': { roles: EVERYONE, status: 200 },
  'POST /v1/rules/:ruleId/deactivate': { roles: [R], status: 200 },
  'GET /v1/watchlist': { roles: SUPERVISORS, status: 200 },
  'POST /v1/watchlist': { roles: [R], status: 201, payload: { kind: 'account', value: 'acc-a', reason: 'r' } },
  'POST /v1/watchlist/:kind/:value/remove': { roles: [R], status: 200, url: '/v1/watchlist/account/acc-a/remove', payload: note },
  'GET /v1/typologies': { roles: SUPERVISORS, status: 200 },
  'POST /v1/typologies': { roles: [R], status: 201, payload: DEFAULT_TYPOLOGY_PARAMETERS },
  'POST /v1/accounts': { roles: [R, B, E], status: 201, payload: { accountId: 'acc-a', ownerEntityId: '91500000MA5U0ENT1W', name: 'a' } },
  'GET /v1/accounts/:accountId': { roles: EVERYONE, status: 200 },
  'GET /v1/accounts/:accountId/counterparties': { roles: [R, A, B], status: 200 },
  'POST /v1/projects': {
    roles: [R, B],
    status: 201,
    payload: { projectId: 'p-1', name: 'p', type: 'donation', ownerEntityId: '91500000MA5U0ENT1W', budgets: [{ purpose: 'goods', amount: 1000 }] },
  },
  'GET /v1/projects/:projectId': { roles: EVERYONE, status: 200 },
  'GET /v1/projects/:projectId/flows': { roles: [R, A, B], status: 200 },
  'POST /v1/transfers': { roles: [B, E], status: 201, payload: transfer },
  'POST /v1/transfers/check': { roles: [B, E, R], status: 200, payload: transfer },
  'POST /v1/transfers/batch': { roles: [B, E], status: 200, payload: { items: [transfer] } },
  'GET /v1/transfers/settings': { roles: EVERYONE, status: 200 },
  'PUT /v1/transfers/settings': { roles: [R], status: 200, payload: { maxBackdateDays: 30 } },
  'POST /v1/transfers/uploads': { roles: [B, E], status: 202, payload: csv, contentType: 'text/csv' },
  // The caller's own upload: the one the row above made (another's, or none, answers 404).
  'GET /v1/transfers/uploads/:uploadId': { roles: [B, E], status: 200, url: `/v1/transfers/uploads/${UPLOAD}` },
  'GET /v1/transfers/:transferId': { roles: EVERYONE, status: 200 },
  'GET /v1/traces': { roles: [R, A, B], status: 200, url: '/v1/traces?accountId=acc-a&direction=forward' },
  'GET /v1/alerts': { roles: SUPERVISORS, status: 200 },
  'GET /v1/alerts/:alertId': { roles: SUPERVISORS, status: 200 },
  'GET /v1/alerts/:alertId/history': { roles: SUPERVISORS, status: 200 },
  'POST /v1/alerts/patterns': { roles: [R], status: 201, payload: pattern },
  'POST /v1/alerts/:alertId/acknowledge': { roles: [R], status: 200, payload: note },
  'POST /v1/alerts/:alertId/resolve': { roles: [R], status: 200, payload: note },
  'POST /v1/alerts/:alertId/false-positive': { roles: [R], status: 200, payload: note },
  'GET /v1/statistics': { roles: SUPERVISORS, status: 200 },
  'POST /v1/credit/model': { roles: [R], status: 201, payload: DEFAULT_CREDIT_MODEL },
  'GET /v1/credit/model': { roles: EVERYONE, status: 200 },
  'POST /v1/credit/sanctions': {
    roles: [R],
    status: 201,
    payload: { entityId: ENTITY, legalBasis: 'art. 20', decisionNumber: 'D-1', amount: 0, publicationDays: 30, summary: 's' },
  },
  'POST /v1/credit/commendations': { roles: [R], status: 201, payload: { entityId: ENTITY, summary: 's' } },
  'POST /v1/credit/late-reports': { roles: [R], status: 201, payload: { transferIds: ['t-1'] } },
  'GET /v1/credit/entities/:entityId': { roles: EVERYONE, status: 200, url: `/v1/credit/entities/${ENTITY}` },
  'GET /v1/credit/entities/:entityId/file': { roles: EVERYONE, status: 200, url: `/v1/credit/entities/${ENTITY}/file` },
  'POST /v1/credit/objections': { roles: [E, B], status: 201, payload: { entryId: 'CE-1', note: 'n' } },
  'GET /v1/credit/objections': { roles: SUPERVISORS, status: 200 },
  'POST /v1/credit/objections/:entityId/:entryId/decision': {
    roles: [R],
    status: 200,
    url: `/v1/credit/objections/${ENTITY}/CE-1/decision`,
    payload: { decision: 'uphold', note: 'n' },
  },
  'GET /v1/credit/statistics': { roles: SUPERVISORS, status: 200 },
  'GET /v1/transactions/:transactionId': { roles: EVERYONE, status: 200 },
  'GET /v1/events': { roles: SUPERVISORS, status: 200 },
  'GET /v1/audit/transactions/:transactionId': { roles: SUPERVISORS, status: 200, url: `/v1/audit/transactions/${RECORDED.transactionId}` },
  'GET /v1/audit/transactions/:transactionId/evidence': { roles: SUPERVISORS, status: 200, url: `/v1/audit/transactions/${RECORDED.transactionId}/evidence` },
  'POST /v1/audit/verifications': { roles: SUPERVISORS, status: 200, payload: RECORDED },
  'POST /v1/offline/proposals': { roles: EVERYONE, status: 200, payload: { fn: 'transfer:record', input: transfer } },
  'POST /v1/offline/proposals/endorse': { roles: EVERYONE, status: 200, payload: (role: Role) => signed(role, 'proposal') },
  'POST /v1/offline/transactions/submit': { roles: EVERYONE, status: 200, payload: (role: Role) => signed(role, 'transaction') },
  'POST /v1/offline/commits/status': { roles: EVERYONE, status: 200, payload: (role: Role) => signed(role, 'commit') },
  'GET /v1/network/blocks': { roles: SUPERVISORS, status: 200, url: '/v1/network/blocks?before=1' },
  'GET /v1/network/blocks/:blockNumber': { roles: SUPERVISORS, status: 200, url: '/v1/network/blocks/0' },
  'GET /v1/network/chaincode': { roles: SUPERVISORS, status: 200 },
  'GET /v1/network/nodes': { roles: SUPERVISORS, status: 200 },
};

/** A value of the schema's shape (types only: a serializer checks no patterns), for the fake ledger to answer with. */
function shaped(schema: TSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (schema.anyOf) return shaped(schema.anyOf[0] as TSchema, depth + 1);
  if (schema.enum) return (schema.enum as unknown[])[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, TSchema>)
          .filter(([k]) => (schema.required as string[] | undefined)?.includes(k))
          .map(([k, s]) => [k, shaped(s, depth + 1)]),
      );
    case 'array':
      return [];
    case 'string':
      return schema.format === 'date-time' ? '2026-11-01T08:00:00Z' : 'x';
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

let t: RouteTestApp;

/** What an offline step takes: the message the step before handed the role, signed with the role's own key. */
async function signed(role: Role, step: 'proposal' | 'transaction' | 'commit'): Promise<Record<string, string>> {
  const caller = await t.services.callers.get(`${role}-1`);
  if (!caller) throw new Error(`no caller ${role}-1`);
  const { offline } = t.ledger;
  const sign = (message: Uint8Array): string => crypto.sign('sha256', message, identityOf(role).key).toString('base64');
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const proposal = offline.propose(caller, { fn: 'transfer:record', input: transfer });
  const proposalBytes = gatewayProtos.ProposedTransaction.deserializeBinary(proposal.bytes).getProposal()?.getProposalBytes_asU8() ?? new Uint8Array();
  if (step === 'proposal') return { proposal: b64(proposal.bytes), signature: sign(proposalBytes) };
  const none = new Uint8Array();
  const transaction = await offline.endorse(caller, proposal.bytes, none);
  const payload = gatewayProtos.PreparedTransaction.deserializeBinary(transaction.bytes).getEnvelope()?.getPayload_asU8() ?? none;
  if (step === 'transaction') return { transaction: b64(transaction.bytes), signature: sign(payload) };
  const commit = await offline.submit(caller, transaction.bytes, none);
  const request = gatewayProtos.SignedCommitStatusRequest.deserializeBinary(commit.bytes).getRequest_asU8();
  return { commit: b64(commit.bytes), signature: sign(request) };
}
beforeAll(async () => {
  t = await startRouteTestApp({ trustAnchors: RECORDED_ANCHORS });
});
afterAll(() => t.app.close());

const served = (): string[] =>
  t.routes
    .filter((r) => r.url.startsWith('/v1/') && r.config?.roles && !r.schema?.hide)
    .flatMap((r) =>
      [r.method]
        .flat()
        .filter((m) => m !== 'HEAD' && m !== 'TRACE')
        .map((m) => `${m} ${r.url}`),
    );

it('states every /v1 route the gateway serves, and no route it does not', () => {
  expect(served().sort()).toEqual(Object.keys(TABLE).sort());
});

it.each(EVERYONE)('as %s: every route it is served answers its documented status; every other route 403, before the ledger', async (role) => {
  const seen: string[] = [];
  let upload = UPLOAD;
  for (const [route, e] of Object.entries(TABLE)) {
    const [method, pattern] = route.split(' ') as [string, string];
    const url = (e.url ?? pattern).replace(UPLOAD, upload).replace(/:(\w+)/g, (_m, p: string) => (p === 'transactionId' ? TX : `x-${p.replace(/Id$/, '')}`));
    const schema = t.routes.find((r) => r.url === pattern && [r.method].flat().includes(method))?.schema as { response?: Record<string, TSchema> } | undefined;
    t.ledger.reset();
    t.index.reset();
    const payload = typeof e.payload === 'function' ? await (e.payload as (r: Role) => unknown)(role) : e.payload;
    t.ledger.calls = [];
    // The transaction is the caller's own: qscc names it its creator.
    const me = await t.services.callers.get(`${role}-1`);
    if (me) t.ledger.commitAs(me);
    t.ledger.next = () => shaped(schema?.response?.[String(e.status)]);
    t.index.next = () => shaped(schema?.response?.[String(e.status)]) as Record<string, unknown>;
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { ...t.auth(role), ...(payload === undefined ? {} : { 'content-type': e.contentType ?? 'application/json' }) },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    if (route === 'POST /v1/transfers/uploads' && res.statusCode === 202) upload = res.json<{ uploadId: string }>().uploadId;
    if (!e.roles.includes(role)) {
      seen.push(`${route} ${res.statusCode} ${res.json<{ code?: string }>().code} ledger:${t.ledger.calls.length}`);
    } else {
      seen.push(`${route} ${res.statusCode}${res.statusCode === e.status ? '' : ` ${res.body.slice(0, 200)}`}`);
    }
  }
  const expected = Object.entries(TABLE).map(([route, e]) => (!e.roles.includes(role) ? `${route} 403 ACCESS_DENIED ledger:0` : `${route} ${e.status}`));
  expect(seen).toEqual(expected);
});

it('has a route test of its own for every /v1 route plugin', () => {
  const plugins = fs.readdirSync(__dirname, { withFileTypes: true }).filter((e) => e.isDirectory());
  const untested = plugins.filter((p) => !fs.readdirSync(path.join(__dirname, p.name)).some((f) => f.endsWith('.test.ts'))).map((p) => p.name);
  expect(plugins.length).toBeGreaterThan(15);
  expect(untested).toEqual([]);
});
