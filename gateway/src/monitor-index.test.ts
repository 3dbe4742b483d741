// The gateway's client of the monitor's index: the token it presents, and what a caller is told when the
// monitor is down, refuses the token, or refuses the query.
import * as http from 'node:http';
import { ApiError } from './errors';
import { LimitedIndex, MonitorIndex } from './monitor-index';

let server: http.Server;
let url: string;
const seen: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const status = req.headers.authorization !== 'Bearer right' ? 401 : req.url?.includes('depth=99') ? 400 : 200;
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify(status === 400 ? { message: 'depth: a whole number from 1 to 10' } : { ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: ApiError) => ({ status: err.statusCode, code: err.code, message: err.message, retryAfter: err.retryAfter }),
  );

describe('MonitorIndex', () => {
  it('presents its token and passes the query on, leaving out what is not given', async () => {
    await expect(new MonitorIndex(url, 'right', '/nonexistent').query('/traces', { accountId: 'a', depth: 3, toTime: undefined })).resolves.toEqual({
      ok: true,
    });
    expect(seen.at(-1)).toEqual({ path: '/traces?accountId=a&depth=3', authorization: 'Bearer right' });
  });

  it('passes the monitor’s refusal of a query on as the caller’s 400', async () => {
    expect(await failure(new MonitorIndex(url, 'right', '/nonexistent').query('/traces', { depth: 99 }))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'depth: a whole number from 1 to 10',
    });
  });

  it('answers 503 INDEX_UNAVAILABLE, retry after 5 s, when the monitor refuses the token or is not running', async () => {
    expect(await failure(new MonitorIndex(url, 'wrong', '/nonexistent').query('/statistics', {}))).toEqual({
      status: 503,
      code: 'INDEX_UNAVAILABLE',
      message: 'the monitor refused the gateway’s token',
      retryAfter: 5,
    });
    expect(await failure(new MonitorIndex('http://127.0.0.1:9', 'right', '/nonexistent').query('/statistics', {}))).toMatchObject({
      status: 503,
      code: 'INDEX_UNAVAILABLE',
    });
  });
});

describe('index queries under limits', () => {
  it('holds each caller to its own queries in flight, and everyone to a total: 429 past them, served again after', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = { query: async () => (await gate, { source: 'index' }) };
    const index = new LimitedIndex(slow, { perCaller: 2, total: 3 });
    const running = [index.query('/statistics', {}, 'bank1'), index.query('/statistics', {}, 'bank1')];
    await expect(index.query('/statistics', {}, 'bank1')).rejects.toMatchObject({ statusCode: 429, code: 'INDEX_BUSY' });
    // Another caller still gets in, up to the total.
    running.push(index.query('/statistics', {}, 'auditor1'));
    await expect(index.query('/statistics', {}, 'regulator1')).rejects.toMatchObject({ statusCode: 429, code: 'INDEX_BUSY' });
    release();
    await Promise.all(running);
    await expect(index.query('/statistics', {}, 'bank1')).resolves.toEqual({ source: 'index' });
  });
});
