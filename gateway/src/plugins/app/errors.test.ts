// One error shape: bad input, Fabric's errors mapped to precise statuses, unknown routes and methods.
import { CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import Fastify from 'fastify';
import { ApiError, fromFabric, invalidCommit } from '../../errors';
import errors from './errors';
import { type RouteTestApp, startRouteTestApp, transfer, TX } from '../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => t.ledger.reset());

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"amount": 1,', 'application/json', 400, 'BAD_REQUEST'],
    ['a wrong type', JSON.stringify({ ...transfer, amount: '100' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a fractional amount', JSON.stringify({ ...transfer, amount: 1.5 }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['an unknown field', JSON.stringify({ ...transfer, extra: 1 }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a missing field', JSON.stringify({ fromAccount: 'a' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a huge body', JSON.stringify({ ...transfer, reference: 'x'.repeat(100_000) }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
    ['a non-JSON media type', '<transfer amount="1"/>', 'application/xml', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['plain text', 'amount=1', 'text/plain', 400, 'VALIDATION_FAILED'],
  ])('answers %s with a clear 4xx and writes nothing', async (_what, payload, type, status, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: { ...t.auth('bank'), 'content-type': type }, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, message: expect.any(String), details: expect.any(Object) });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(t.ledger.calls).toEqual([]);
  });

  it('names the offending field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: t.auth('bank'), payload: { ...transfer, amount: -1 } });
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body/amount' } });
  });

  it('refuses bad query strings and path ids', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/filings?pageSize=ten', headers: t.auth('regulator') })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/filings?unknown=1', headers: t.auth('regulator') })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/transfers/a~b', headers: t.auth('regulator') })).statusCode).toBe(400);
    expect(t.ledger.calls).toEqual([]);
  });
});

describe('error mapping', () => {
  const endorseError = (message: string): EndorseError =>
    new EndorseError({
      code: 10,
      details: [{ address: 'peer', mspId: 'BankMSP', message: `chaincode response 500, ${message}` }],
      message: '10 ABORTED: failed to endorse transaction',
      transactionId: TX,
      cause: new Error('x'),
    } as never);

  it.each([
    ['ACCESS_DENIED: bank may not publish rules', 403],
    ['FILING_NOT_FOUND: filing F does not exist', 404],
    ['ACCOUNT_EXISTS: account a already exists', 409],
    ['FILING_TRANSITION_INVALID: a filing that is submitted cannot be approved', 409],
    ['RULE_BLOCKED: transfer blocked by rule r1 v2 "x" | {"rules":[{"ruleId":"r1","version":2}]}', 422],
    ['BUDGET_EXCEEDED: project p has 5 fen left', 422],
    ['VALIDATION_FAILED: transfer: /amount must be integer | {"field":"/amount"}', 400],
  ])('carries the chaincode error "%s" to the caller as %i', async (message, status) => {
    t.ledger.next = () => {
      throw fromFabric(endorseError(message), TX);
    };
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: t.auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(body.code).toBe(message.split(':')[0]);
    expect(body.transactionId).toBe(TX);
    if (message.includes('RULE_BLOCKED')) expect(body.details).toEqual({ rules: [{ ruleId: 'r1', version: 2 }] });
  });

  it('maps an MVCC conflict to 409 with a retry hint', async () => {
    t.ledger.next = () => {
      throw invalidCommit(peer.TxValidationCode.MVCC_READ_CONFLICT, TX);
    };
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: t.auth('bank'), payload: transfer });
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'CONFLICT', details: { validationCode: 'MVCC_READ_CONFLICT', retryable: true }, transactionId: TX });
  });

  it('maps an unreachable network to 503', async () => {
    t.ledger.next = () => {
      throw fromFabric(new GatewayError({ code: 14, details: [], message: '14 UNAVAILABLE: No connection established', cause: new Error('x') } as never));
    };
    const res = await t.app.inject({ method: 'GET', url: '/v1/rules', headers: t.auth('bank') });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'NETWORK_UNAVAILABLE' });
  });

  it.each([
    [
      new EndorseError({
        code: 10,
        details: [
          { address: 'peer0:7051', mspId: 'BankMSP', message: 'error validating proposal: access denied: channel [supervision] creator org [BankMSP]' },
        ],
        message: '10 ABORTED: failed to endorse transaction',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      403,
      'IDENTITY_REFUSED',
    ],
    [
      new EndorseError({
        code: 10,
        details: [{ address: 'peer0:7051', mspId: 'BankMSP', message: 'ProposalResponsePayloads do not match' }],
        message: '10 ABORTED: failed to endorse transaction',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      502,
      'ENDORSEMENTS_DIFFER',
    ],
    [
      new EndorseError({
        code: 14,
        details: [],
        message: '14 UNAVAILABLE: no combination of peers can be derived which satisfy the endorsement policy',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      503,
      'NETWORK_UNAVAILABLE',
    ],
    [
      // The regulator's chaincode service killed: what its peer answered (3.1.5), package id shortened.
      new EndorseError({
        code: 10,
        details: [
          {
            address: 'peer0:7051',
            mspId: 'RegulatorMSP',
            message:
              'error in simulation: failed to execute transaction 9b03: could not launch chaincode regchain_2dff:4a15: connection to regchain_2dff:4a15 failed: error cannot create connection for regchain_2dff:4a15: error creating grpc connection to localhost:9999',
          },
        ],
        message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
        transactionId: TX,
        cause: new Error('x'),
      } as never),
      503,
      'CHAINCODE_UNAVAILABLE',
    ],
    [
      new CommitStatusError({ code: 4, details: [], message: '4 DEADLINE_EXCEEDED', transactionId: TX, cause: new Error('x') } as never),
      504,
      'COMMIT_STATUS_UNKNOWN',
    ],
  ])("maps %s to a precise status and logs Fabric's own words", async (err, status, code) => {
    const mapped = fromFabric(err, TX);
    expect([mapped.statusCode, mapped.code, mapped.transactionId]).toEqual([status, code, TX]);
    expect(mapped.fabric?.grpcCode).toBe((err as GatewayError).code);
    expect(mapped.fabric?.peers).toEqual((err as GatewayError).details.map((d) => ({ address: d.address, mspId: d.mspId, message: d.message })));
    expect(JSON.stringify(mapped.toBody())).not.toContain('peer0');
  });

  it('hides the details of an unexpected failure', async () => {
    t.ledger.next = () => {
      throw new TypeError('secret internals at /srv/app.ts:12');
    };
    const res = await t.app.inject({ method: 'GET', url: '/v1/rules', headers: t.auth('bank') });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'internal error', details: {} });
  });

  it('tells a caller that keeps its own key to sign offline', async () => {
    const real = t.ledger.submit.bind(t.ledger);
    t.ledger.submit = async () => {
      throw new ApiError(400, 'OFFLINE_SIGNING_REQUIRED', 'caller offline-1 keeps its own key: submit through /v1/offline');
    };
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: t.auth('offline'), payload: transfer });
    t.ledger.submit = real;
    expect(res.json()).toMatchObject({ code: 'OFFLINE_SIGNING_REQUIRED' });
  });
});

describe('methods', () => {
  it('answers 405 with an Allow header for a method a known path does not take, and 404 for an unknown path', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/rules', headers: t.auth('regulator') });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    expect((await t.app.inject({ method: 'PATCH', url: '/v1/filings/abc' })).statusCode).toBe(405);
    expect((await t.app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(404);
    const long = await t.app.inject({ method: 'GET', url: `/v1/public/filings/${'x'.repeat(150)}` });
    expect([long.statusCode, long.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const huge = await t.app.inject({ method: 'GET', url: `/v1/public/filings/${'x'.repeat(3000)}` });
    expect([huge.statusCode, huge.json()]).toEqual([414, { code: 'URI_TOO_LONG', message: 'a path parameter is longer than 2048 characters', details: {} }]);
    const openapi = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(openapi.paths['/v1/rules'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});

describe('errors keep their cause', () => {
  it('logs the original error (a 500 with its stack) with the request and transaction ids, and answers without it', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(errors);
    app.get('/boom', async () => {
      throw new TypeError('secret internals');
    });
    app.get('/fabric', async () => {
      throw fromFabric(
        new EndorseError({
          code: 14,
          details: [],
          message: '14 UNAVAILABLE: no combination of peers can be derived',
          transactionId: TX,
          cause: new Error('x'),
        } as never),
      );
    });
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    expect(boom.json()).toEqual({ code: 'INTERNAL', message: 'internal error', details: {} });
    const fabric = await app.inject({ method: 'GET', url: '/fabric' });
    expect(fabric.statusCode).toBe(503);
    await app.close();
    const logged = lines.filter((l) => typeof l.code === 'string');
    expect(logged).toHaveLength(2);
    const [first, second] = logged as [Record<string, { type?: string; message?: string; stack?: string }>, Record<string, unknown>];
    expect(first).toMatchObject({ level: 50, code: 'INTERNAL', reqId: expect.any(String), err: { type: 'TypeError', message: 'secret internals' } });
    expect(first.err?.stack).toContain('errors.test.ts');
    expect(second).toMatchObject({ code: 'NETWORK_UNAVAILABLE', transactionId: TX, err: { type: 'EndorseError' }, fabric: { grpcCode: 14 } });
  });
});
