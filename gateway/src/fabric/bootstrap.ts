// Callers for a network's users (the users file `network:up` writes, or the operator's own), and the identity
// behind public filing-number lookups.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ROLES } from '@regchain/common';
import type { GatewayConfig } from '../config';
import { CaError, CertificateAuthority, type Enrolment, type NewIdentity } from './ca';
import type { CallerAdmin } from './identities';
import { certificateAuthorityOf } from '@regchain/fabric';

const Users = Type.Array(
  Type.Object({
    mspId: Type.String({ minLength: 1 }),
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    entityId: Type.String({ pattern: '^[0-9A-Z]{18}$' }),
  }),
);
export type User = Static<typeof Users>[number];

export function readUsers(file: string): User[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CaError(`users file ${file} cannot be read: ${(err as Error).message}`);
  }
  const errors = [...Value.Errors(Users, raw)].slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  if (errors.length > 0) throw new CaError(`users file ${file} is not valid: ${errors.join('; ')}`);
  return raw as User[];
}

/** The CA of the org with this MSP id, as the profile names it, with the org's registrar from the settings. */
export function certificateAuthority(config: GatewayConfig, mspId: string): CertificateAuthority {
  return new CertificateAuthority(certificateAuthorityOf(config.profile, mspId), config.caClient, path.join(config.registrars, mspId));
}

/**
 * A gateway-only identity for a user: registered and enrolled at its org's CA with the same role and entity
 * under a fresh enrolment id, so the user's own key (if any) stays the user's and the gateway's exists only
 * encrypted in its vault.
 */
async function enrolForGateway(config: GatewayConfig, mspId: string, user: NewIdentity): Promise<Enrolment & { enrollmentId: string }> {
  const enrollmentId = `${user.name}.gw-${crypto.randomBytes(4).toString('hex')}`;
  return { ...(await certificateAuthority(config, mspId).issue({ ...user, name: enrollmentId })), enrollmentId };
}

/** A custodial caller for each user; returns the API keys of the callers it created, with those it knew. */
export async function bootstrapCallers(
  config: GatewayConfig,
  callers: CallerAdmin,
  known: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> {
  const users = readUsers(config.users);
  const keys: Record<string, string> = { ...known };
  const byOrg = new Map<string, User[]>();
  for (const u of users) byOrg.set(u.mspId, [...(byOrg.get(u.mspId) ?? []), u]);
  // Each org's users one after another, the orgs at once.
  await Promise.all(
    [...byOrg.values()].map(async (orgUsers) => {
      for (const user of orgUsers) {
        if (keys[user.name] && (await callers.get(user.name))) continue;
        const { apiKey } = await callers.add({
          id: user.name,
          mspId: user.mspId,
          role: user.role,
          entityId: user.entityId,
          ...(await enrolForGateway(config, user.mspId, user)),
          withApiKey: true,
        });
        if (apiKey) keys[user.name] = apiKey;
      }
    }),
  );
  const reader = users.find((u) => u.role === 'auditor');
  if (reader && !(await callers.get(config.publicCaller))) {
    // Public lookups run under a read-only auditor identity of their own and have no API key.
    await callers.add({
      id: config.publicCaller,
      mspId: reader.mspId,
      role: 'auditor',
      entityId: reader.entityId,
      ...(await enrolForGateway(config, reader.mspId, { ...reader, name: config.publicCaller })),
      withApiKey: false,
    });
  }
  return keys;
}
