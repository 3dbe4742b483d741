// The peers and the orgs' CAs from a Fabric common connection profile (JSON or YAML), validated when read.
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

const Profile = Type.Object({
  name: Type.Optional(Type.String()),
  channels: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object({ peers: Type.Optional(Type.Record(Type.String(), Type.Object({ endorsingPeer: Type.Optional(Type.Boolean()) }))) }),
    ),
  ),
  organizations: Type.Record(
    Type.String(),
    Type.Object({
      mspid: Type.String({ minLength: 1 }),
      peers: Type.Optional(Type.Array(Type.String())),
      certificateAuthorities: Type.Optional(Type.Array(Type.String())),
    }),
  ),
  peers: Type.Record(
    Type.String(),
    Type.Object({
      url: Type.String({ pattern: '^grpcs?://[^/:]+:[0-9]{1,5}$' }),
      tlsCACerts: Type.Optional(Type.Object({ pem: Type.Optional(Type.String()), path: Type.Optional(Type.String()) })),
      grpcOptions: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
  certificateAuthorities: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object({
        url: Type.String({ pattern: '^https?://[^/]+$' }),
        caName: Type.Optional(Type.String()),
        tlsCACerts: Type.Optional(
          Type.Object({ pem: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])), path: Type.Optional(Type.String()) }),
        ),
      }),
    ),
  ),
});
type Profile = Static<typeof Profile>;

/** One peer the gateway can route through. */
export interface GatewayPeer {
  /** The peer's name in the profile, e.g. peer0.bank.regchain.local. */
  readonly name: string;
  readonly mspId: string;
  /** host:port */
  readonly address: string;
  /** The TLS root to trust; undefined for grpc:// (plain text). */
  readonly tlsRootCert: Buffer | undefined;
  readonly serverNameOverride: string | undefined;
  /** Whether the channel lists the peer as an endorser (the auditor's peers are not). */
  readonly endorsing: boolean;
}

export class ProfileError extends Error {}

/** An org's certificate authority, where the admin command registers, enrols and revokes callers. */
export interface CaEndpoint {
  readonly name: string;
  readonly url: string;
  /** The CA's name inside its server (--caname); undefined for the server's default CA. */
  readonly caName: string | undefined;
  /** PEM of the CA server's TLS root; undefined for http://. */
  readonly tlsRootPem: string | undefined;
}

function readProfile(file: string): Profile {
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new ProfileError(`connection profile ${file} cannot be read: ${(err as Error).message}`);
  }
  const errors = [...Value.Errors(Profile, raw)].slice(0, 5).map((e) => `${e.path || '/'} ${e.message}`);
  if (errors.length > 0) throw new ProfileError(`connection profile ${file} is not valid: ${errors.join('; ')}`);
  return raw as Profile;
}

/** Reads and checks a connection profile's peers; every mistake is named with its place in the file. */
export function loadProfile(file: string, channel: string): GatewayPeer[] {
  const profile = readProfile(file);
  const mspOf = new Map<string, string>();
  for (const org of Object.values(profile.organizations)) for (const peer of org.peers ?? []) mspOf.set(peer, org.mspid);
  const channelPeers = profile.channels?.[channel]?.peers;
  const peers = Object.entries(profile.peers).map(([name, p]): GatewayPeer => {
    const mspId = mspOf.get(name);
    if (!mspId) throw new ProfileError(`connection profile ${file}: peer ${name} belongs to no organization`);
    const secure = p.url.startsWith('grpcs://');
    const tlsPath = p.tlsCACerts?.path && path.resolve(path.dirname(file), p.tlsCACerts.path);
    const tlsRootCert = !secure ? undefined : p.tlsCACerts?.pem ? Buffer.from(p.tlsCACerts.pem) : tlsPath ? fs.readFileSync(tlsPath) : undefined;
    if (secure && !tlsRootCert) throw new ProfileError(`connection profile ${file}: peer ${name} uses grpcs but gives no tlsCACerts`);
    const override = p.grpcOptions?.['ssl-target-name-override'];
    return {
      name,
      mspId,
      address: p.url.replace(/^grpcs?:\/\//, ''),
      tlsRootCert,
      serverNameOverride: typeof override === 'string' ? override : undefined,
      endorsing: channelPeers?.[name]?.endorsingPeer ?? true,
    };
  });
  if (peers.length === 0) throw new ProfileError(`connection profile ${file} names no peers`);
  return peers;
}

/** The first certificate authority the profile gives the org with this MSP id. */
export function certificateAuthorityOf(file: string, mspId: string): CaEndpoint {
  const profile = readProfile(file);
  const org = Object.values(profile.organizations).find((o) => o.mspid === mspId);
  if (!org) throw new ProfileError(`connection profile ${file} has no organization with MSP id ${mspId}`);
  const name = org.certificateAuthorities?.[0];
  const ca = name ? profile.certificateAuthorities?.[name] : undefined;
  if (!name || !ca) throw new ProfileError(`connection profile ${file} gives ${mspId} no certificate authority`);
  const secure = ca.url.startsWith('https://');
  const pem = ca.tlsCACerts?.pem;
  const tlsPath = ca.tlsCACerts?.path && path.resolve(path.dirname(file), ca.tlsCACerts.path);
  const tlsRootPem = !secure ? undefined : pem ? [pem].flat().join('\n') : tlsPath ? fs.readFileSync(tlsPath, 'utf8') : undefined;
  if (secure && !tlsRootPem) throw new ProfileError(`connection profile ${file}: certificate authority ${name} uses https but gives no tlsCACerts`);
  return { name, url: ca.url, caName: ca.caName, tlsRootPem };
}
