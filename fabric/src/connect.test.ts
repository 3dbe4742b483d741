// Deadlines as settings, a call reset after its deadline read as the deadline passing, and the identity of an MSP folder.
import * as grpc from '@grpc/grpc-js';
import { readSettings } from '@regchain/common/node';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DEADLINES, DeadlineSettings, deadlinesOf, dial } from './connect';
import { mspFiles, mspIdentity } from './msp';

it('takes each deadline from its variable and the defaults for the rest', () => {
  const s = readSettings(DeadlineSettings, { REGCHAIN_FABRIC_EVALUATE_MS: '5000', REGCHAIN_FABRIC_COMMIT_STATUS_MS: '' });
  expect(deadlinesOf(s)).toEqual({ ...DEFAULT_DEADLINES, evaluateMs: 5000 });
});

it('refuses a deadline that is not a whole number of milliseconds in range, naming the variable', () => {
  expect(() => readSettings(DeadlineSettings, { REGCHAIN_FABRIC_ENDORSE_MS: '30s' })).toThrow(/REGCHAIN_FABRIC_ENDORSE_MS="30s"/);
  expect(() => readSettings(DeadlineSettings, { REGCHAIN_FABRIC_SUBMIT_MS: '0' })).toThrow(/REGCHAIN_FABRIC_SUBMIT_MS="0": .*from 100 to 600000/);
});

describe('a call the peer cancels', () => {
  // A real gRPC server whose one method ends every call as CANCELLED at once, as a peer's reset reads in grpc-js.
  let server: grpc.Server;
  let address: string;
  beforeAll(async () => {
    server = new grpc.Server();
    const bytes = (b: Buffer): Buffer => b;
    server.register(
      '/t.T/Cancel',
      (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback({ code: grpc.status.CANCELLED, details: 'stream reset' }),
      bytes,
      bytes,
      'unary',
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  const call = (client: grpc.Client, deadline?: number): Promise<grpc.ServiceError> =>
    new Promise((resolve, reject) => {
      const bytes = (b: Buffer): Buffer => b;
      client.makeUnaryRequest('/t.T/Cancel', bytes, bytes, Buffer.alloc(0), deadline === undefined ? {} : { deadline }, (err) =>
        err ? resolve(err) : reject(new Error('the call succeeded')),
      );
    });

  it('reads as the deadline passing when the reset arrives after the deadline', async () => {
    const client = dial({ address }, () => Date.now() + 60_000);
    try {
      const err = await call(client, Date.now() + 30_000);
      expect({ code: err.code, details: err.details }).toEqual({ code: grpc.status.DEADLINE_EXCEEDED, details: expect.stringContaining('stream reset') });
    } finally {
      client.close();
    }
  });

  it('stays cancelled before its deadline, and without one', async () => {
    const client = dial({ address });
    try {
      expect((await call(client, Date.now() + 30_000)).code).toBe(grpc.status.CANCELLED);
      expect((await call(client)).code).toBe(grpc.status.CANCELLED);
    } finally {
      client.close();
    }
  });
});

it("reads an MSP folder's certificate and key, and says undefined when one is missing", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-msp-'));
  try {
    expect(mspFiles(dir)).toBeUndefined();
    fs.mkdirSync(path.join(dir, 'signcerts'));
    fs.mkdirSync(path.join(dir, 'keystore'));
    fs.writeFileSync(path.join(dir, 'signcerts', 'cert.pem'), '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n');
    expect(mspFiles(dir)).toBeUndefined();
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(dir, 'keystore', 'abc_sk'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const files = mspFiles(dir);
    expect(files?.keyPath).toBe(path.join(dir, 'keystore', 'abc_sk'));
    const { identity, signer } = mspIdentity('BankMSP', files as NonNullable<typeof files>);
    expect(identity.mspId).toBe('BankMSP');
    expect(typeof signer).toBe('function');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
