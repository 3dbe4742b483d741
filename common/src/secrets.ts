// Secrets kept in owner-only files under the state folder: the gateway's vault key, the token the gateway
// presents to the monitor. Whoever needs one first creates it; a second process reads the same file.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The secret in `file`, created (32 random bytes, base64; owner-only, in an owner-only folder) when there is none. */
export function ownerSecret(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: read theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Compares a presented token with the expected one in constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}
