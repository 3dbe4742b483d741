// The console against the gateway it talks to: every screen a role is shown reads only routes that role may
// call, every action button matches its route's roles; every word the console looks up exists in both
// languages; amounts typed in yuan become the right fen.
import {
  ALERT_STATUSES,
  CONDITIONS,
  APPLICANT_TYPES,
  APPLICATION_FIELDS,
  FILING_STATUSES,
  ROLES,
  SERVICE_CATEGORIES,
  SERVICE_FORMS,
  SEVERITIES,
  TYPOLOGIES,
} from '@regchain/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fenOf } from '../../console/src/money';
import en from '../../console/src/locales/en';
import zh from '../../console/src/locales/zh-CN';
import { MAY, SCREENS } from '../../console/src/screens';
import { WATCHED } from '../../console/src/views/events-watched';
import { type RouteTestApp, startRouteTestApp } from '../../gateway/src/test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());

/** The roles a route allows; undefined roles means anyone (the public lookup). */
function rolesOf(route: string): readonly string[] {
  const [method, url] = route.split(' ');
  const found = t.routes.find((r) => [r.method].flat().includes(method as never) && r.url === url);
  if (!found) throw new Error(`the gateway has no route ${route}`);
  return (found.config as { roles?: readonly string[] } | undefined)?.roles ?? ROLES;
}

describe('screens and the gateway', () => {
  it.each(SCREENS.map((s) => [s.id, s] as const))('the %s screen is shown only to roles that may read what it shows', (_id, screen) => {
    for (const route of screen.reads) for (const role of screen.roles) expect([route, role, rolesOf(route).includes(role)]).toEqual([route, role, true]);
  });

  it.each(Object.entries(MAY))('the %s action is offered exactly to the roles its route allows', (_name, action) => {
    for (const role of ROLES) expect([role, action.may(role)]).toEqual([role, rolesOf(action.route).includes(role)]);
  });
});

describe('translations', () => {
  const lookup = (dict: object, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], dict);
  const keysOf = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`)));

  it('has the same keys in Chinese and English, none empty', () => {
    expect(keysOf(zh).sort()).toEqual(keysOf(en).sort());
    for (const key of keysOf(zh)) expect([key, (lookup(zh, key) as string).length > 0]).toEqual([key, true]);
  });

  it('has every key the console looks up, and a word for every value of the vocabulary', () => {
    const dir = path.join(__dirname, '..', '..', 'console', 'src');
    const files = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.ts') && !String(f).startsWith('locales'));
    const used = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(path.join(dir, String(f)), 'utf8').matchAll(/\bt\('([a-zA-Z.]+)'/g)) used.add(m[1] as string);
    expect(used.size).toBeGreaterThan(200);
    for (const key of used) expect([key, typeof lookup(en, key)]).toEqual([key, 'string']);
    for (const s of SCREENS) expect(typeof lookup(en, `nav.${s.id}`)).toBe('string');
    for (const type of WATCHED) expect(typeof lookup(en, `events.${type}`)).toBe('string');
    const vocab: [string, readonly string[]][] = [
      ['filingStatus', FILING_STATUSES],
      ['alertStatus', ALERT_STATUSES],
      ['severity', SEVERITIES],
      ['typology', TYPOLOGIES],
      ['condition', CONDITIONS],
      ['category', SERVICE_CATEGORIES],
      ['form', SERVICE_FORMS],
      ['field', APPLICATION_FIELDS],
      ['applicantType', APPLICANT_TYPES],
    ];
    for (const [group, values] of vocab) for (const v of values) expect(typeof lookup(zh, `vocab.${group}.${v}`)).toBe('string');
  });
});

describe('amounts typed in yuan', () => {
  it.each([
    ['1000', 100_000],
    ['1,234.5', 123_450],
    ['¥0.01', 1],
    [' 12 345.67 ', 1_234_567],
  ])('%s is %i fen', (text, fen) => expect(fenOf(text)).toBe(fen));

  it.each(['', 'abc', '1.234', '-5', '1e3', '12345678901234'])('%s is refused', (text) => expect(fenOf(text)).toBeUndefined());
});
