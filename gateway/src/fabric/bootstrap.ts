// Callers for the users the local network enrolled, and the identity behind public filing-number lookups.
import * as fs from 'node:fs';
import { enrolledUser } from '../../../network/src/ca';
import { NetworkError } from '../../../network/src/log';
import { orgByKey, PEER_ORGS } from '../../../network/src/topology';
import type { CallerRegistry } from './identities';

/** Imports each topology user as a custodial caller; returns the API keys of the callers it created. */
export async function bootstrapCallers(callers: CallerRegistry, known: Readonly<Record<string, string>> = {}): Promise<Record<string, string>> {
  const keys: Record<string, string> = { ...known };
  for (const org of PEER_ORGS) {
    for (const user of org.users) {
      if (callers.get(user.name) && keys[user.name]) continue;
      const enrolled = enrolledUser(org, user.name);
      if (!enrolled) throw new NetworkError(`${user.name} is not enrolled; run \`npm run network:up\` first`);
      const { apiKey } = await callers.add({
        id: user.name,
        org: org.key,
        role: user.role,
        entityId: user.entityId,
        certificate: fs.readFileSync(enrolled.certPath, 'utf8'),
        privateKey: fs.readFileSync(enrolled.keyPath, 'utf8'),
        withApiKey: true,
      });
      if (apiKey) keys[user.name] = apiKey;
    }
  }
  const auditor = orgByKey('auditor');
  const reader = auditor.users[0];
  const enrolled = reader && enrolledUser(auditor, reader.name);
  if (reader && enrolled && !callers.get('public')) {
    // Public lookups run under the auditor's read-only identity and have no API key.
    await callers.add({
      id: 'public',
      org: 'auditor',
      role: 'auditor',
      entityId: reader.entityId,
      certificate: fs.readFileSync(enrolled.certPath, 'utf8'),
      privateKey: fs.readFileSync(enrolled.keyPath, 'utf8'),
      withApiKey: false,
    });
  }
  return keys;
}
