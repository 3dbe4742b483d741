// Typology parameters: published whole through typology:publish; read with the defaults filled in for figures an older set lacks.
import { DEFAULT_TYPOLOGY_PARAMETERS } from '@regchain/common';
import { type RouteTestApp, useRouteTestApp } from '../../../test/harness';

const t = useRouteTestApp();
const send: RouteTestApp['send'] = (...request) => t.send(...request);

it('publishes a whole set of parameters', async () => {
  expect((await send('regulator', 'POST', '/v1/typologies', DEFAULT_TYPOLOGY_PARAMETERS)).statusCode).toBe(201);
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'typology:publish', input: DEFAULT_TYPOLOGY_PARAMETERS });
});

it('answers a set published before the slow patterns with the defaults for them', async () => {
  const { oneOff: _oneOff, ...older } = DEFAULT_TYPOLOGY_PARAMETERS as Record<string, unknown>;
  t.ledger.next = () => ({ version: 3, parameters: older, publishedAt: '2026-11-01T00:00:00Z', publishedBy: { mspId: 'RegulatorMSP', id: 'regulator1' } });
  const res = await send('auditor', 'GET', '/v1/typologies');
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ version: 3, parameters: DEFAULT_TYPOLOGY_PARAMETERS });
  expect(t.ledger.calls[0]?.call).toEqual({ fn: 'typology:get', input: {} });
});
