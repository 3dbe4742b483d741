// The web console in Debian's Chromium (playwright-core), served by the gateway against the real network: each
// role signs in and sees only its screens; the regulator watches an alert arrive live (and after a reconnect,
// nothing twice), approves a filing an enterprise submitted with an attachment hashed in the browser, and draws
// a trace; the auditor verifies a genuine bundle and a tampered one; anyone looks up a filing number. Each main
// screen is photographed into test/screenshots/ (ignored by git).
import { sleep } from '@regchain/common';
import { REPO_ROOT } from '@regchain/common/node';
import type { FastifyInstance } from 'fastify';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import zh from '../../console/src/locales/zh-CN';
import { screensFor } from '../../console/src/screens';
import { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import type { createServices } from '../../gateway/src/services';
import { orgByKey } from '../../network/src/topology';
import { checkCharacter } from '../../chaincode/src/domain/creditcode';
import { addMember, suiteServices } from '../support/gateway';

const run = Date.now().toString(36);
const PURPOSE = `console_${run}`;
const BANK = orgByKey('bank').users[0]?.entityId as string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-console-it-'));
const SHOTS = path.join(REPO_ROOT, 'test', 'screenshots');
const CHROMIUM = process.env.REGCHAIN_CHROMIUM ?? '/usr/bin/chromium';

let services: ReturnType<typeof createServices>;
let app: FastifyInstance;
let base: string;
let keys: Record<string, string>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'console', 'dist', 'index.html'))) throw new Error('the console is not built: npm run build -w console');
  services = suiteServices(dataDir);
  keys = await bootstrapCallers(services.config, services.callers);
  app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await services?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  // A script error in the page is a failure even when the screen looked right.
  expect(pageErrors.splice(0)).toEqual([]);
});

async function api<T = any>(who: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${keys[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function newPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
  // The pages run under the gateway's content security policy; axe-core comes in as an init script, which the
  // browser runs before the page and outside its policy.
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
  await context.addInitScript({ path: require.resolve('axe-core/axe.min.js') });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
  });
  return page;
}

async function signIn(who: string, screen = ''): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/console/`);
  await page.getByLabel(zh.signin.apiKey).fill(keys[who] as string);
  await page.getByRole('button', { name: zh.signin.submit, exact: true }).click();
  await page.getByTestId('who').waitFor();
  if (screen) await page.goto(`${base}/console/#/${screen}`);
  return page;
}

/**
 * Photographs a main screen, and checks it with axe-core against WCAG 2.1 A and AA (labels, contrast, roles,
 * keyboard names): a serious or critical finding fails the test. The charts' and graph's canvases carry ARIA
 * labels; what they draw is also in tables.
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  expect([name, violations]).toEqual([name, []]);
}

/** The same screen on a tablet held upright: nothing wider than the screen, photographed and checked again. */
async function tablet(page: Page, name: string): Promise<void> {
  const laptop = page.viewportSize();
  await page.setViewportSize({ width: 820, height: 1180 });
  await sleep(300);
  expect([name, await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)]).toEqual([name, 820]);
  await shot(page, `${name}-tablet`);
  if (laptop) await page.setViewportSize(laptop);
}

/** Waits until the page satisfies a condition on its text or attributes, polling like a person would look. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function account(id: string): Promise<void> {
  expect((await api('bank1', 'POST', '/v1/accounts', { accountId: id, ownerEntityId: BANK, name: id })).status).toBe(201);
}

async function transfer(from: string, to: string, amount: number, reference: string): Promise<{ transferId: string; alerts: string[]; tx: string }> {
  const r = await api('bank1', 'POST', '/v1/transfers', { fromAccount: from, toAccount: to, amount, currency: 'CNY', purpose: PURPOSE, reference });
  expect(r.status).toBe(201);
  const alerts = (await api('regulator1', 'GET', `/v1/transfers/${r.body.result.transferId}`)).body.alerts as string[];
  return { transferId: r.body.result.transferId, alerts, tx: r.body.transactionId };
}

describe('the console', () => {
  const acct = (n: string): string => `con-${n}-${run}`;
  let transferTx: string;

  beforeAll(async () => {
    // An ALERT rule on this suite's purpose only: every transfer here raises an alert, no other suite's does.
    const rule = await api('regulator1', 'POST', '/v1/rules', {
      ruleId: `console-${run}`,
      name: '控制台测试大额',
      description: 'browser suite',
      logic: { '>': [{ var: 'amount' }, 100] },
      action: 'ALERT',
      severity: 'high',
      scope: { purposes: [PURPOSE] },
    });
    expect(rule.status).toBe(201);
    for (const n of ['a', 'b', 'c', 'd']) await account(acct(n));
  });

  afterAll(async () => {
    await api('regulator1', 'POST', `/v1/rules/console-${run}/deactivate`, {});
  });

  it('signs each role in with its key (kept in the tab, never in the URL) and shows only what the role may do', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel(zh.signin.apiKey).fill('not-a-key');
    await page.getByRole('button', { name: zh.signin.submit, exact: true }).click();
    await page.getByText(zh.signin.invalid).waitFor();
    await shot(page, 'sign-in');

    for (const who of ['regulator1', 'bank1', 'enterprise1', 'auditor1']) {
      const p = await signIn(who);
      const me = await api(who, 'GET', '/v1/me');
      const nav = await p.getByRole('navigation').getByRole('link').allTextContents();
      expect(nav).toEqual(screensFor(me.body.role).map((s) => zh.nav[s.id as keyof typeof zh.nav]));
      expect(p.url()).not.toContain(keys[who] as string);
      expect(await p.evaluate(() => (globalThis as any).sessionStorage.getItem('regchain.apiKey'))).toBe(keys[who]);
      expect(await p.evaluate(() => (globalThis as any).localStorage.getItem('regchain.apiKey'))).toBeNull();
      await shot(p, `home-${me.body.role}`);
      if (who === 'bank1') {
        // A screen the role may not use is not reachable by its address either: it lands on its own home.
        await p.goto(`${base}/console/#/rules`);
        await p.reload();
        await p.getByTestId('who').waitFor();
        await until('the bank to land on its home', async () => !p.url().endsWith('#/rules'));
      }
    }

    // A key revoked while the console is open: the next call is refused, and the console signs out saying why.
    const auditor = await services.callers.get('auditor1');
    const temp = await services.callers.add({
      id: `console-temp-${run}`,
      mspId: 'AuditorMSP',
      role: 'auditor',
      entityId: auditor?.entityId as string,
      certificate: auditor?.certificate as string,
      withApiKey: true,
    });
    keys.temp = temp.apiKey as string;
    const revoked = await signIn('temp', 'events');
    expect(await revoked.title()).toBe(`${zh.nav.events} · ${zh.app.title}`);
    await services.callers.revoke(`console-temp-${run}`);
    await revoked.getByRole('link', { name: zh.nav.network }).click();
    await revoked.getByText(zh.signin.expired).waitFor();
    expect(await revoked.evaluate(() => (globalThis as any).sessionStorage.getItem('regchain.apiKey'))).toBeNull();

    // English on request, remembered; signing out forgets the key.
    const p = await signIn('auditor1');
    await p.getByLabel(zh.app.language).selectOption('en');
    await p.getByRole('link', { name: 'Live events' }).waitFor();
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByLabel('API key').waitFor();
    expect(await p.evaluate(() => (globalThis as any).sessionStorage.getItem('regchain.apiKey'))).toBeNull();
  });

  it('shows the regulator an alert the moment its transaction commits, and after a reconnect nothing twice', async () => {
    const page = await signIn('regulator1', 'events');
    const state = page.getByTestId('live-state');
    await until('the stream to be live', async () => (await state.getAttribute('data-state')) === 'live');

    const first = await transfer(acct('a'), acct('b'), 12_345_600, `con-${run}-1`);
    transferTx = first.tx;
    expect(first.alerts).toHaveLength(1);
    const rows = page.getByTestId('live-rows');
    await rows.locator('tr[data-type=AlertRaised]', { hasText: first.alerts[0] as string }).waitFor({ timeout: 30_000 });
    await rows
      .locator('tr[data-type=TransferRecorded]', { hasText: acct('a') })
      .first()
      .waitFor();
    await shot(page, 'events');

    // A dropped connection: the indicator says so, then the stream resumes from the last event it had.
    await page.getByRole('button', { name: zh.live.reconnect }).click();
    await until('the stream to be live again', async () => (await state.getAttribute('data-state')) === 'live');
    const second = await transfer(acct('b'), acct('c'), 2_000_000, `con-${run}-2`);
    await rows.locator('tr[data-type=AlertRaised]', { hasText: second.alerts[0] as string }).waitFor({ timeout: 30_000 });
    await sleep(1000);
    for (const alertId of [first.alerts[0], second.alerts[0]]) {
      expect(await rows.locator('tr[data-type=AlertRaised]', { hasText: alertId as string }).count()).toBe(1);
    }
    await transfer(acct('c'), acct('d'), 1_500_000, `con-${run}-3`);

    // The alert queue: the regulator acknowledges it with a note, and the history shows it.
    await page.goto(`${base}/console/#/alerts?alertId=${first.alerts[0]}`);
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    await page.getByLabel(zh.alerts.note).fill('已电话核实');
    await page.getByRole('button', { name: zh.alerts.actions.acknowledge }).click();
    await until('the alert to be acknowledged', async () => (await page.getByTestId('alert-status').textContent()) === zh.vocab.alertStatus.acknowledged);
    await detail.getByText('已电话核实').waitFor();
    await shot(page, 'alerts');
    await tablet(page, 'alerts');
    // The queue narrowed to one typology asks the gateway for that typology's rule and lists only its alerts.
    const [narrowed] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/v1/alerts?') && r.url().includes('ruleId=pattern.structuring')),
      page.locator('select[name=ruleId]').selectOption('pattern.structuring'),
    ]);
    expect(narrowed.status()).toBe(200);
    const listed = ((await narrowed.json()) as { items: { ruleId: string }[] }).items;
    await until('the narrowed queue', async () => (await page.locator('table[aria-label] tbody tr').count()) === Math.max(listed.length, 1));
    const typologies = await page.locator('table[aria-label] tbody tr td:nth-child(2)').allTextContents();
    if (listed.length > 0) expect(new Set(typologies)).toEqual(new Set([zh.vocab.typology.structuring]));
    expect(await page.locator('p.error').count()).toBe(0);
    expect((await api('regulator1', 'GET', `/v1/alerts/${first.alerts[0]}`)).body.status).toBe('acknowledged');

    // A pattern alert says why: each condition that made it, worded in the console's language, with its limit.
    const raised = await api('regulator1', 'POST', '/v1/alerts/patterns', {
      key: `console-why-${run}`,
      typology: 'fan-in',
      parametersVersion: 0,
      score: 0.7,
      accounts: [acct('a'), acct('b')],
      transferIds: [first.transferId],
      conditions: [
        { name: 'one-off-payers', value: 4, limit: 2 },
        { name: 'spread-days', value: 87.4, limit: 240 },
      ],
    });
    expect(raised.status).toBe(201);
    await page.goto(`${base}/console/#/alerts?alertId=${raised.body.result.alertId}`);
    const why = page.getByTestId('alert-conditions');
    await why.waitFor();
    expect(await why.locator('li').allTextContents()).toEqual([
      `${zh.vocab.condition['one-off-payers']}: 4 (${zh.alerts.reached} 2)`,
      `${zh.vocab.condition['spread-days']}: 87.4 (${zh.alerts.reached} 240)`,
    ]);
  });

  it('lets an enterprise file with an attachment hashed in the browser, and the regulator approve it with a number anyone can look up', async () => {
    const attachment = Buffer.from(`安全评估报告 ${run}\n`, 'utf8');
    const ent = await signIn('enterprise1', 'filings');
    await ent.getByRole('button', { name: zh.filings.new }).click();
    await ent.getByLabel(zh.filings.applicant).fill('渝链科技有限公司');
    await ent.getByLabel(zh.filings.service).fill(`控制台存证-${run}`);
    await ent.getByLabel(zh.filings.servers).fill('chain.example.cn');
    await ent.getByLabel(zh.filings.attachments).setInputFiles({ name: 'assessment.txt', mimeType: 'text/plain', buffer: attachment });
    await ent.getByLabel(zh.filings.personName).fill('赵六');
    await ent.getByLabel(zh.filings.personId).fill('11010519491231002X');
    await ent.getByLabel(zh.filings.personPhone).fill('13800000000');
    await ent.getByLabel(zh.filings.personEmail).fill('z@example.cn');
    await ent.getByRole('button', { name: zh.filings.submit, exact: true }).click();
    const detail = ent.getByTestId('filing-detail');
    await detail.waitFor({ timeout: 30_000 });
    const filingId = ((await detail.locator('dd').first().textContent()) ?? '').trim();
    const filed = await api('enterprise1', 'GET', `/v1/filings/${filingId}`);
    expect(filed.body.attachments).toEqual([{ name: 'assessment.txt', sha256: crypto.createHash('sha256').update(attachment).digest('hex') }]);
    await shot(ent, 'filings-enterprise');

    const reg = await signIn('regulator1', `filings?filingId=${filingId}`);
    await reg.getByRole('button', { name: zh.filings.actions.review }).click();
    await until('the filing to be under review', async () => (await reg.getByTestId('filing-status').textContent()) === zh.vocab.filingStatus.under_review);
    await reg.getByRole('button', { name: zh.filings.actions.approve }).click();
    await reg.getByTestId('filing-number').waitFor({ timeout: 30_000 });
    const number = ((await reg.getByTestId('filing-number').textContent()) ?? '').trim();
    expect(number).toMatch(/^网信备\d+号$/);
    expect((await api('auditor1', 'GET', `/v1/filings/${filingId}`)).body).toMatchObject({ status: 'approved', filingNumber: number });
    await shot(reg, 'filings-review');

    // Anyone, without a key.
    const pub = await newPage({ width: 820, height: 1180 });
    await pub.goto(`${base}/console/#/lookup`);
    await pub.getByLabel(zh.lookup.number, { exact: true }).fill(number);
    await pub.getByRole('button', { name: zh.lookup.submit }).click();
    await pub.getByText(zh.lookup.current).waitFor();
    expect(await pub.getByTestId('lookup-result').textContent()).toContain(`控制台存证-${run}`);
    await shot(pub, 'public-lookup-tablet');
    await pub.getByLabel(zh.lookup.number, { exact: true }).fill(`网信备0000${run}号`);
    await pub.getByRole('button', { name: zh.lookup.submit }).click();
    await pub.getByText(zh.lookup.notFound.replace('{{number}}', `网信备0000${run}号`)).waitFor();
  });

  it('draws a trace with amounts and flagged transfers, and expands a node', async () => {
    const page = await signIn('regulator1', `trace?accountId=${acct('a')}`);
    const graph = page.getByTestId('flow-graph');
    // Cytoscape.js loads with the first trace and draws on canvases once it has.
    await until('the trace to be drawn', async () => (await graph.getAttribute('data-edges')) === '3' && (await graph.locator('canvas').count()) > 0);
    expect(await graph.getAttribute('data-flagged')).toBe('3');
    await shot(page, 'trace');

    // One hop, then the next account expanded from the table (the keyboard's way to the graph).
    await page.getByLabel(zh.trace.hops).fill('1');
    await page.getByRole('button', { name: zh.trace.draw }).click();
    await until('a one-hop trace', async () => (await graph.getAttribute('data-edges')) === '1');
    await page.getByText(zh.trace.table.replace('{{count}}', '1')).click();
    await page.getByRole('button', { name: zh.trace.expandOne.replace('{{account}}', acct('b')) }).click();
    await until('the expanded node', async () => (await graph.getAttribute('data-edges')) === '2');
  });

  it('lets the auditor verify a transaction, download its evidence, and tell a genuine bundle from a tampered one', async () => {
    const page = await signIn('auditor1', `audit?transactionId=${transferTx}`);
    const report = page.getByTestId('audit-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getAttribute('data-verified')).toBe('true');
    expect(await report.textContent()).toContain('RegulatorMSP');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh.audit.download }).click()]);
    const genuine = path.join(dataDir, 'evidence.json');
    await download.saveAs(genuine);
    const bundle = JSON.parse(fs.readFileSync(genuine, 'utf8')) as { transactionId: string; block: string };
    expect(bundle.transactionId).toBe(transferTx);

    const input = page.locator('input[name=bundle]');
    await input.setInputFiles(genuine);
    const checked = page.getByTestId('bundle-report');
    await checked.waitFor({ timeout: 60_000 });
    expect(await checked.getAttribute('data-verified')).toBe('true');
    expect(await page.getByTestId('anchors').textContent()).toMatch(/[0-9a-f]{64}/);
    await shot(page, 'audit');

    // The same bundle with the transfer's reference changed inside the block: the block's data no longer hashes
    // to what the orderers signed.
    const block = Buffer.from(bundle.block, 'base64');
    const at = block.indexOf(Buffer.from(`con-${run}-1`));
    expect(at).toBeGreaterThan(0);
    block.write('X', at + `con-${run}-`.length);
    const tampered = path.join(dataDir, 'tampered.json');
    fs.writeFileSync(tampered, JSON.stringify({ ...bundle, block: block.toString('base64') }));
    await input.setInputFiles(tampered);
    await until('the tampered bundle to be refused', async () => (await checked.getAttribute('data-verified')) === 'false');
    expect(await checked.locator('tr.flag').count()).toBeGreaterThan(0);
    await shot(page, 'audit-tampered');
  });

  it('shows the network: healthy nodes, the chaincode definition and its policy, blocks with endorsers and validation codes', async () => {
    const page = await signIn('auditor1', 'network');
    await page.getByTestId('definition').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('definition').textContent()).toContain("AND('RegulatorMSP.peer'");
    const nodes = page.getByTestId('nodes').locator('li');
    await until('every node listed', async () => (await nodes.count()) >= 12);
    expect(await page.getByTestId('nodes').locator('li.node-ok').count()).toBe(await nodes.count());
    const newest = page.getByTestId('block').first();
    await newest.locator('summary').click();
    expect(await newest.textContent()).toMatch(/VALID/);
    expect(await newest.textContent()).toMatch(/peer0\.\w+\.regchain\.local/);
    await shot(page, 'network');
    await tablet(page, 'network');
  });

  it('lets the regulator sanction an entity, its bank see the grade beside its account, the public look it up, the entity object and the regulator correct it', async () => {
    const first17 = `915000008${String(Date.now()).slice(-8)}`;
    const entity = `${first17}${checkCharacter(first17)}`;
    keys.subject = await addMember(services, { name: `console-credit-${run}`, org: 'enterprise', entityId: entity });
    expect((await api('bank1', 'POST', '/v1/accounts', { accountId: acct('credit'), ownerEntityId: entity, name: 'credit' })).status).toBe(201);
    const decisionNumber = `渝网信罚〔2026〕${run}号`;

    const reg = await signIn('regulator1', 'credit');
    await reg.getByTestId('grade-distribution').waitFor({ timeout: 30_000 });
    await reg.getByLabel(zh.credit.entity).fill(entity);
    await reg.getByLabel(zh.credit.decisionNumber).fill(decisionNumber);
    await reg.getByLabel(zh.credit.legalBasis).fill('《区块链信息服务管理规定》第二十条');
    await reg.getByLabel(zh.credit.fineYuan).fill('150000');
    await reg.getByLabel(zh.credit.publicationDays).fill('180');
    await reg.getByLabel(zh.credit.summary).fill('未履行备案手续');
    await reg.getByRole('button', { name: zh.credit.record, exact: true }).click();
    await reg.getByText(zh.credit.sanctionRecorded.replace('{{number}}', decisionNumber)).waitFor({ timeout: 30_000 });
    await shot(reg, 'credit-regulator');

    // The bank sees the owner's grade beside the account.
    const bank = await signIn('bank1', 'transfers');
    await bank.getByLabel(zh.transfers.id, { exact: true }).fill(acct('credit'));
    await bank
      .locator('form', { has: bank.getByLabel(zh.transfers.id, { exact: true }) })
      .getByRole('button', { name: zh.common.show })
      .click();
    await until('the owner grade', async () =>
      (
        (await bank
          .getByTestId('owner-grade')
          .textContent()
          .catch(() => '')) ?? ''
      ).includes(zh.vocab.grade.B),
    );

    // Anyone, without a key, in Chinese and in English.
    const pub = await newPage({ width: 820, height: 1180 });
    await pub.goto(`${base}/console/#/creditLookup`);
    await pub.getByLabel(zh.credit.entity).fill(entity);
    await pub.getByRole('button', { name: zh.lookup.submit }).click();
    const standing = pub.getByTestId('credit-standing');
    await standing.waitFor();
    expect(await standing.getByTestId('grade').textContent()).toBe('B');
    expect(await standing.textContent()).toContain(decisionNumber);
    await shot(pub, 'public-credit-tablet');
    await pub.getByLabel(zh.app.language).selectOption('en');
    await pub.getByRole('heading', { name: 'Credit lookup' }).waitFor();
    await pub.getByRole('button', { name: 'Look up' }).click();
    await pub.getByText('Sanctions in publication').waitFor();

    // The entity sees its file with the arithmetic and objects to the sanction.
    const ent = await signIn('subject', 'credit');
    const file = ent.getByTestId('credit-file');
    await file.waitFor({ timeout: 30_000 });
    expect(await file.getByTestId('score').textContent()).toBe('80');
    await file.getByRole('button', { name: zh.credit.object }).click();
    await file.getByLabel(zh.credit.objectionNote).fill('处罚决定已被复议撤销');
    await file.getByRole('button', { name: zh.credit.objectIt }).click();
    await ent.getByText(zh.credit.objectionRaised).waitFor({ timeout: 30_000 });
    await shot(ent, 'credit-enterprise');

    // The regulator corrects it to nothing: the grade goes back to M, and the sanction out of public view.
    const entryId = (await api('subject', 'GET', `/v1/credit/entities/${entity}/file`)).body.entries[0].entryId as string;
    const review = await signIn('regulator1', 'credit');
    const objection = review.locator(`article[data-entry="${entryId}"]`);
    await objection.waitFor({ timeout: 30_000 });
    await objection.getByLabel(zh.credit.outcome).selectOption('void');
    await objection.getByLabel(zh.credit.decisionNote).fill('复议撤销');
    await objection.getByRole('button', { name: zh.credit.decide }).click();
    await review.getByText(zh.credit.objectionDecided).waitFor({ timeout: 30_000 });
    const after = (await fetch(`${base}/v1/public/credit/${entity}`).then((r) => r.json())) as { grade: string; sanctions: unknown[] };
    expect(after).toMatchObject({ grade: 'M', sanctions: [] });
  });

  it('draws the statistics and lets a bank upload a CSV with its progress', async () => {
    const stats = await signIn('regulator1', 'statistics');
    await stats.getByTestId('stats-source').waitFor({ timeout: 60_000 });
    await until('the charts to be drawn', async () => (await stats.locator('.chart canvas').count()) >= 5);
    await shot(stats, 'statistics');
    await tablet(stats, 'statistics');

    const bank = await signIn('bank1', 'transfers');
    const when = new Date(Date.now() - 3600_000).toISOString();
    const csv = [
      'reference,payerAccount,payeeAccount,amount,executedAt,purpose',
      ...[1, 2, 3].map((i) => `up-${run}-${i},${acct('c')},${acct('d')},${1000 + i},${when},goods`),
    ].join('\n');
    await bank.getByLabel(zh.transfers.csvFile).setInputFiles({ name: 'transfers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await bank.getByRole('button', { name: zh.transfers.uploadIt }).click();
    const progress = bank.getByTestId('upload-progress');
    await until('the upload to finish', async () => ((await progress.textContent().catch(() => '')) ?? '').includes(zh.transfers.uploadStatus.done), 60_000);
    expect(await progress.textContent()).toContain(
      zh.transfers.uploadCounts.replace('{{recorded}}', '3').replace('{{already}}', '0').replace('{{failed}}', '0'),
    );
    expect(await bank.locator('#upload-bar').evaluate((el) => (el as any).value as number)).toBe(3);
    await shot(bank, 'transfers-bank');
  });
});
