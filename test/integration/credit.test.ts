// Credit on the real network through the REST gateway: a sanction the regulator records changes an entity's
// grade, and a partner bank, another enterprise and the public (no key) all see the new grade and the sanction
// in publication; the entity sees its whole file with the arithmetic, objects, and the regulator's correction
// takes the sanction out of its grade and out of public view.
import type { FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCharacter } from '../../chaincode/src/domain/creditcode';
import { buildApp } from '../../gateway/src/app';
import { bootstrapCallers } from '../../gateway/src/fabric/bootstrap';
import { addMember, suiteServices } from '../support/gateway';

const stamp = String(Date.now()).slice(-8);
const first17 = `915000009${stamp}`;
/** An entity new to this run: nothing in its file yet. */
const SUBJECT = `${first17}${checkCharacter(first17)}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-credit-it-'));
const services = suiteServices(dataDir);

let app: FastifyInstance;
let keys: Record<string, string>;

interface Standing {
  entityId: string;
  grade: string;
  modelVersion: number;
  sanctions: { decisionNumber: string; amount: number; publishedUntil: string }[];
}

async function call(
  who: string | undefined,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(who ? { authorization: `Bearer ${keys[who]}` } : {}),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

async function ok(who: string | undefined, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Record<string, unknown>> {
  const res = await call(who, method, url, payload);
  if (res.status >= 300) throw new Error(`${who ?? 'public'} ${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** What a partner bank, another enterprise and the public each see of the subject: the same standing. */
async function seenByOthers(): Promise<Standing[]> {
  return [
    (await ok('bank1', 'GET', `/v1/credit/entities/${SUBJECT}`)) as unknown as Standing,
    (await ok('enterprise1', 'GET', `/v1/credit/entities/${SUBJECT}`)) as unknown as Standing,
    (await ok(undefined, 'GET', `/v1/public/credit/${SUBJECT}`)) as unknown as Standing,
  ];
}

beforeAll(async () => {
  keys = await bootstrapCallers(services.config, services.callers);
  keys.subject = await addMember(services, { name: `credit-${stamp}`, org: 'enterprise', entityId: SUBJECT });
  app = await buildApp(services);
});

afterAll(async () => {
  await app?.close();
  await services.close();
});

describe('a sanction, seen by partners and the public', () => {
  const decisionNumber = `渝网信罚〔2026〕${stamp}号`;
  let entryId = '';

  it('starts as M, new, with nothing published', async () => {
    for (const seen of await seenByOthers()) expect(seen).toMatchObject({ entityId: SUBJECT, grade: 'M', sanctions: [] });
  });

  it('grades the entity down once the regulator records a sanction, and every partner and the public see it', async () => {
    const recorded = await ok('regulator1', 'POST', '/v1/credit/sanctions', {
      entityId: SUBJECT,
      legalBasis: '《区块链信息服务管理规定》第二十条',
      decisionNumber,
      amount: 150_000_00,
      publicationDays: 180,
      summary: '未履行备案手续提供区块链信息服务',
    });
    entryId = (recorded.result as { entryId: string }).entryId;
    expect(recorded.transactionId).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
    for (const seen of await seenByOthers()) {
      expect(seen.grade).toBe('B');
      expect(seen.sanctions).toEqual([expect.objectContaining({ decisionNumber, amount: 150_000_00 })]);
      expect(Object.keys(seen).sort()).toEqual(['at', 'entityId', 'grade', 'modelVersion', 'sanctions']);
    }
    // Recording it twice is refused: one entry per decision.
    const again = await call('regulator1', 'POST', '/v1/credit/sanctions', {
      entityId: SUBJECT,
      legalBasis: 'x',
      decisionNumber,
      amount: 1,
      publicationDays: 1,
      summary: 'x',
    });
    expect([again.status, again.body.code]).toEqual([409, 'CREDIT_ENTRY_EXISTS']);
  });

  it('shows the entity its whole file with the arithmetic, and no one else', async () => {
    const file = await ok('subject', 'GET', `/v1/credit/entities/${SUBJECT}/file`);
    expect(file.grade).toMatchObject({
      score: 80,
      grade: 'B',
      contributions: [{ entryId, kind: 'sanction', points: -20, counts: true, reason: 'fine of at least 100000 yuan' }],
    });
    for (const who of ['bank1', 'enterprise1']) {
      const refused = await call(who, 'GET', `/v1/credit/entities/${SUBJECT}/file`);
      expect([refused.status, refused.body.code]).toEqual([403, 'ACCESS_DENIED']);
    }
  });

  it('takes the sanction out of the grade and out of public view once the regulator corrects it after an objection', async () => {
    await ok('subject', 'POST', '/v1/credit/objections', { entryId, note: '处罚决定已被行政复议撤销' });
    const queue = (await ok('auditor1', 'GET', '/v1/credit/objections')) as unknown as { entityId: string; entry: { entryId: string } }[];
    expect(queue.filter((o) => o.entityId === SUBJECT).map((o) => o.entry.entryId)).toEqual([entryId]);
    for (const seen of await seenByOthers()) expect(seen.grade).toBe('B');
    await ok('regulator1', 'POST', `/v1/credit/objections/${SUBJECT}/${entryId}/decision`, { decision: 'correct', correctedKind: 'void', note: '复议撤销' });
    for (const seen of await seenByOthers()) expect(seen).toMatchObject({ grade: 'M', sanctions: [] });
    const file = (await ok('subject', 'GET', `/v1/credit/entities/${SUBJECT}/file`)) as { entries: { objection?: { status: string } }[] };
    expect(file.entries.map((e) => e.objection?.status)).toEqual(['corrected']);
  });
});
