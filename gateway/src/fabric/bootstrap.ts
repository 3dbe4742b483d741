// Callers for the local network's users, and the identity behind public filing-number lookups.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureFabric } from '../../../network/src/binaries';
import { registerAndEnroll } from '../../../network/src/ca';
import { orgByKey, PEER_ORGS, type PeerOrg, type UserSpec } from '../../../network/src/topology';
import type { CallerRegistry } from './identities';

/**
 * A gateway-only identity for a topology user: registered and enrolled at its org's CA with the same role and
 * entity, its private key moved into the vault and its key folder deleted, so no plaintext custodial key is
 * left behind (the network's own users keep theirs for the operator's tools).
 */
async function enrolForGateway(org: PeerOrg, user: UserSpec): Promise<{ certificate: string; privateKey: string; enrollmentId: string }> {
  const fabric = await ensureFabric();
  const enrollmentId = `${user.name}.gw-${crypto.randomBytes(4).toString('hex')}`;
  const enrolled = await registerAndEnroll(fabric, org, { ...user, name: enrollmentId });
  const certificate = fs.readFileSync(enrolled.certPath, 'utf8');
  const privateKey = fs.readFileSync(enrolled.keyPath, 'utf8');
  fs.rmSync(path.dirname(enrolled.keyPath), { recursive: true, force: true });
  return { certificate, privateKey, enrollmentId };
}

/** A custodial caller for each topology user; returns the API keys of the callers it created. */
export async function bootstrapCallers(callers: CallerRegistry, known: Readonly<Record<string, string>> = {}): Promise<Record<string, string>> {
  const keys: Record<string, string> = { ...known };
  await Promise.all(
    PEER_ORGS.map(async (org) => {
      for (const user of org.users) {
        if (callers.get(user.name) && keys[user.name]) continue;
        const { apiKey } = await callers.add({
          id: user.name,
          mspId: org.mspId,
          role: user.role,
          entityId: user.entityId,
          ...(await enrolForGateway(org, user)),
          withApiKey: true,
        });
        if (apiKey) keys[user.name] = apiKey;
      }
    }),
  );
  const auditor = orgByKey('auditor');
  const reader = auditor.users[0];
  if (reader && !callers.get('public')) {
    // Public lookups run under a read-only auditor identity of their own and have no API key.
    await callers.add({
      id: 'public',
      mspId: auditor.mspId,
      role: 'auditor',
      entityId: reader.entityId,
      ...(await enrolForGateway(auditor, { ...reader, name: 'public' })),
      withApiKey: false,
    });
  }
  return keys;
}
