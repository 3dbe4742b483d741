// Native signing: every signature verifies over SHA-256 of the message, is DER, and has a low S, as Fabric's
// validation requires; fabric-gateway's own verifier agrees.
import * as crypto from 'node:crypto';
import { lowS, nativeSigning } from './signing';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The (r, s) of a DER ECDSA signature. */
function parts(der: Uint8Array): { r: bigint; s: bigint } {
  const b = Buffer.from(der);
  expect(b[0]).toBe(0x30);
  const rLen = b[3] as number;
  const r = BigInt(`0x${b.subarray(4, 4 + rLen).toString('hex')}`);
  const sLen = b[5 + rLen] as number;
  const s = BigInt(`0x${b.subarray(6 + rLen, 6 + rLen + sLen).toString('hex')}`);
  expect(b.length).toBe(6 + rLen + sLen);
  return { r, s };
}

it('signs so that the signature verifies over SHA-256 of the message, as DER with a low S, every time', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { signer } = nativeSigning(privateKey);
  let highBefore = 0;
  for (let i = 0; i < 200; i += 1) {
    const message = crypto.randomBytes(1 + (i % 300));
    const signature = await signer(message);
    expect(crypto.verify('sha256', message, publicKey, signature)).toBe(true);
    expect(parts(signature).s <= N / 2n).toBe(true);
    // Half of OpenSSL's own signatures have a high S: the normalisation is what keeps them all low.
    const raw = crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    if (BigInt(`0x${raw.subarray(32).toString('hex')}`) > N / 2n) highBefore += 1;
  }
  expect(highBefore).toBeGreaterThan(50);
});

it('turns a high S into n - S and keeps r', () => {
  const r = Buffer.alloc(32, 0x81);
  const s = Buffer.from((N - 5n).toString(16).padStart(64, '0'), 'hex');
  const { r: r2, s: s2 } = parts(lowS(Buffer.concat([r, s])));
  expect(r2).toBe(BigInt(`0x${r.toString('hex')}`));
  expect(s2).toBe(5n);
});

it('refuses a key that is not P-256', () => {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  expect(() => nativeSigning(privateKey)).toThrow(/P-256/);
});
