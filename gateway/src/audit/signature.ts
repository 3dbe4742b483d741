// Signatures and certificates as Fabric checks them: ECDSA over SHA-256 with low S, and a chain to an MSP root.
import * as crypto from 'node:crypto';

/** Half the order of each curve Fabric's MSPs use: a signature with S above it is malleable and Fabric refuses it. */
const HALF_ORDER: Readonly<Record<string, bigint>> = {
  prime256v1: BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551') >> 1n,
  secp384r1: BigInt('0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973') >> 1n,
};

export function x509(pem: string | Uint8Array): crypto.X509Certificate | undefined {
  try {
    return new crypto.X509Certificate(Buffer.from(pem));
  } catch {
    return undefined;
  }
}

export const fingerprint = (cert: crypto.X509Certificate): string => cert.fingerprint256.replace(/:/g, '').toLowerCase();

/** S of a DER ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }), or undefined when it is not one. */
function sOf(der: Uint8Array): bigint | undefined {
  const b = Buffer.from(der);
  if (b[0] !== 0x30 || b.length < 8) return undefined;
  let i = (b[1] as number) & 0x80 ? 2 + ((b[1] as number) & 0x7f) : 2;
  const integer = (): bigint | undefined => {
    if (b[i] !== 0x02) return undefined;
    const len = b[i + 1] as number;
    const value = b.subarray(i + 2, i + 2 + len);
    i += 2 + len;
    return value.length === len && len > 0 ? BigInt(`0x${value.toString('hex')}`) : undefined;
  };
  return integer() === undefined ? undefined : integer();
}

export type SignatureVerdict = 'valid' | 'invalid' | 'high-s';

/** Verifies an ECDSA signature the way Fabric does, refusing the malleable high-S form. */
export function verifySignature(cert: crypto.X509Certificate, data: Uint8Array, signature: Uint8Array): SignatureVerdict {
  let ok = false;
  try {
    ok = crypto.verify('sha256', data, { key: cert.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    ok = false;
  }
  if (!ok) return 'invalid';
  const curve = cert.publicKey.asymmetricKeyDetails?.namedCurve ?? '';
  const half = HALF_ORDER[curve];
  const s = sOf(signature);
  if (half === undefined || s === undefined) return 'invalid';
  return s > half ? 'high-s' : 'valid';
}

/** Whether the certificate was issued by a root directly or through one of the intermediates. */
export function chainsTo(cert: crypto.X509Certificate, roots: readonly crypto.X509Certificate[], intermediates: readonly crypto.X509Certificate[]): boolean {
  const issuedBy = (child: crypto.X509Certificate, ca: crypto.X509Certificate): boolean => child.checkIssued(ca) && child.verify(ca.publicKey);
  if (roots.some((r) => issuedBy(cert, r))) return true;
  return intermediates.some((i) => issuedBy(cert, i) && roots.some((r) => issuedBy(i, r)));
}

/** Whether the certificate was valid at the given time (Fabric checks validity when it validates). */
export function validAt(cert: crypto.X509Certificate, at: Date): boolean {
  return new Date(cert.validFrom) <= at && at <= new Date(cert.validTo);
}
