// Signing with Node's own ECDSA (OpenSSL) instead of fabric-gateway's pure-JavaScript signer: the same
// signatures, an order of magnitude less CPU, which a gateway signing every query for every caller needs.
// fabric-gateway hands the signer the message itself (hash.none) and Node hashes it with SHA-256 as it signs;
// S is brought to the lower half of the curve order, as Fabric requires, and the signature is DER.
import { hash, type Hash, type Signer } from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
import { der, derInteger } from './der';

/** How a connection signs: the signer and the hash fabric-gateway must apply before it, which belong together. */
export interface Signing {
  readonly signer: Signer;
  readonly hash: Hash;
}

/** The order n of P-256, and n/2: a signature's S above n/2 is replaced by n - S. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = P256_N >> 1n;

const bigintOf = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** An ECDSA signature (r, s) as DER with a low S. */
export function lowS(p1363: Uint8Array): Uint8Array {
  const half = p1363.length / 2;
  const r = bigintOf(p1363.subarray(0, half));
  let s = bigintOf(p1363.subarray(half));
  if (s > HALF_N) s = P256_N - s;
  return der(0x30, Buffer.concat([derInteger(r), derInteger(s)]));
}

/** Signing with a P-256 private key by Node's crypto; for other keys, fabric-gateway's own signer. */
export function nativeSigning(privateKey: crypto.KeyObject): Signing {
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('native signing takes a P-256 key');
  }
  return {
    hash: hash.none,
    signer: async (message) => lowS(crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}
