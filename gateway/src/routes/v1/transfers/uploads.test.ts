// The upload route streams the file to the checking worker: a bad file is a 400 naming lines, an oversize one a
// 413 read no further than the limit, a good one a 202 with its status URL; the gateway keeps answering meanwhile.
import { type RouteTestApp, startRouteTestApp } from '../../../test/harness';

let t: RouteTestApp;
beforeAll(async () => {
  t = await startRouteTestApp();
});
afterAll(() => t.app.close());

const HEADER = 'reference,payerAccount,payeeAccount,amount,executedAt';
const upload = (payload: string) =>
  t.app.inject({ method: 'POST', url: '/v1/transfers/uploads', headers: { ...t.auth('bank'), 'content-type': 'text/csv' }, payload });

describe('POST /v1/transfers/uploads', () => {
  it('names the first bad lines of a file, counting blank lines', async () => {
    const res = await upload(`${HEADER}\n\nR-1,a,b,1,2026-11-20T08:00:00Z\nR-2,a,b,1.5,2026-11-20T08:00:00Z\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { problems: [{ line: 4, message: expect.stringMatching(/amount/) }] } });
  });

  it('refuses a file over the upload limit with 413', async () => {
    const row = 'R-000000,acc-a,acc-b,100,2026-11-20T08:00:00Z\n';
    const res = await upload(`${HEADER}\n${row.repeat(Math.ceil((1.2 * 1024 * 1024) / row.length))}`);
    expect([res.statusCode, res.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('accepts a good file with 202 and its status URL, and the caller alone sees it', async () => {
    const res = await upload(`${HEADER}\nR-1,a,b,100,2026-11-20T08:00:00Z\n`);
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/v1/transfers/uploads/${res.json().uploadId}`);
    const other = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: t.auth('enterprise') });
    expect([other.statusCode, other.json().code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
  });
});
