// Health, readiness with each peer, metrics, and the OpenAPI document covering every route.
import { type RouteTestApp, startRouteTestApp } from '../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());
beforeEach(() => t.ledger.reset());

describe('operations', () => {
  it('answers health, readiness with the unreachable peer named, metrics and the OpenAPI document', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ peers: { 'peer0.auditor': false, 'peer1.regulator': false }, orgs: { AuditorMSP: false, RegulatorMSP: true } });
    await t.app.inject({ method: 'GET', url: '/v1/rules', headers: t.auth('bank') });
    // Metrics count every caller's actions: anonymous callers and API keys get 401, the operations token gets them.
    for (const headers of [{}, t.auth('regulator'), { authorization: 'Bearer wrong' }]) {
      expect((await t.app.inject({ method: 'GET', url: '/metrics', headers })).statusCode).toBe(401);
    }
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer test-token' } });
    expect(metrics.body).toContain('regchain_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/v1/rules"');
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    for (const route of t.routes.filter((r) => !r.schema?.hide && r.url.startsWith('/v1/')))
      expect(Object.keys(spec.paths)).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
  });
});
