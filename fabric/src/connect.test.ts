// Deadlines as settings, and the identity of an MSP folder.
import { readSettings } from '@regchain/common/node';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DEADLINES, DeadlineSettings, deadlinesOf } from './connect';
import { mspFiles, mspIdentity } from './msp';

it('takes each deadline from its variable and the defaults for the rest', () => {
  const s = readSettings(DeadlineSettings, { REGCHAIN_FABRIC_EVALUATE_MS: '5000', REGCHAIN_FABRIC_COMMIT_STATUS_MS: '' });
  expect(deadlinesOf(s)).toEqual({ ...DEFAULT_DEADLINES, evaluateMs: 5000 });
});

it('refuses a deadline that is not a whole number of milliseconds in range, naming the variable', () => {
  expect(() => readSettings(DeadlineSettings, { REGCHAIN_FABRIC_ENDORSE_MS: '30s' })).toThrow(/REGCHAIN_FABRIC_ENDORSE_MS="30s"/);
  expect(() => readSettings(DeadlineSettings, { REGCHAIN_FABRIC_SUBMIT_MS: '0' })).toThrow(/REGCHAIN_FABRIC_SUBMIT_MS="0": .*from 100 to 600000/);
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
