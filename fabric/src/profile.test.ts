// Connection profiles: the peers, orgs and TLS roots the gateway reads, and the mistakes it names.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { certificateAuthorityOf, loadProfile, ProfileError } from './profile';

const PEM = '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n';
const profile = {
  name: 'consortium',
  channels: { supervision: { peers: { 'peer0.reg.example': { endorsingPeer: true }, 'peer0.aud.example': { endorsingPeer: false } } } },
  organizations: {
    Reg: { mspid: 'RegulatorMSP', peers: ['peer0.reg.example'], certificateAuthorities: ['ca.reg.example'] },
    Aud: { mspid: 'AuditorMSP', peers: ['peer0.aud.example'] },
  },
  certificateAuthorities: { 'ca.reg.example': { url: 'https://ca.reg.example:7054', caName: 'ca-reg', tlsCACerts: { pem: [PEM] } } },
  peers: {
    'peer0.reg.example': { url: 'grpcs://reg.example:7051', tlsCACerts: { pem: PEM }, grpcOptions: { 'ssl-target-name-override': 'peer0.reg.example' } },
    'peer0.aud.example': { url: 'grpcs://aud.example:10051', tlsCACerts: { path: 'aud-ca.pem' } },
  },
};

function write(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-profile-'));
  fs.writeFileSync(path.join(dir, 'aud-ca.pem'), PEM);
  fs.writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
}

describe('connection profile', () => {
  it('gives each peer its org, address, TLS root (inline or by path) and endorsing role, from JSON or YAML', () => {
    for (const file of [write('p.json', JSON.stringify(profile)), write('p.yaml', YAML.stringify(profile))]) {
      const peers = loadProfile(file, 'supervision');
      expect(peers.map((p) => [p.name, p.mspId, p.address, p.endorsing, p.serverNameOverride])).toEqual([
        ['peer0.reg.example', 'RegulatorMSP', 'reg.example:7051', true, 'peer0.reg.example'],
        ['peer0.aud.example', 'AuditorMSP', 'aud.example:10051', false, undefined],
      ]);
      expect(peers.every((p) => p.tlsRootCert?.toString() === PEM)).toBe(true);
    }
  });

  it.each([
    ['a missing file', '/nonexistent/profile.json', /cannot be read/],
    ['no organizations', write('a.json', JSON.stringify({ ...profile, organizations: undefined })), /\/organizations/],
    [
      'a URL that is not grpc(s)://host:port',
      write('b.json', JSON.stringify({ ...profile, peers: { ...profile.peers, 'peer0.reg.example': { url: 'http://x' } } })),
      /\/peers\/peer0\.reg\.example\/url/,
    ],
    [
      'a peer of no organization',
      write('c.json', JSON.stringify({ ...profile, organizations: { Reg: profile.organizations.Reg } })),
      /peer0\.aud\.example belongs to no organization/,
    ],
    [
      'grpcs without a TLS root',
      write('d.json', JSON.stringify({ ...profile, peers: { ...profile.peers, 'peer0.reg.example': { url: 'grpcs://reg.example:7051' } } })),
      /gives no tlsCACerts/,
    ],
  ])('refuses %s with an error naming it', (_what, file, message) => {
    expect(() => loadProfile(file, 'supervision')).toThrow(ProfileError);
    expect(() => loadProfile(file, 'supervision')).toThrow(message);
  });

  it("gives an org's certificate authority (URL, CA name, TLS root), and says when an org has none", () => {
    const file = write('ca.json', JSON.stringify(profile));
    expect(certificateAuthorityOf(file, 'RegulatorMSP')).toEqual({
      name: 'ca.reg.example',
      url: 'https://ca.reg.example:7054',
      caName: 'ca-reg',
      tlsRootPem: PEM,
    });
    expect(() => certificateAuthorityOf(file, 'AuditorMSP')).toThrow(/gives AuditorMSP no certificate authority/);
    expect(() => certificateAuthorityOf(file, 'BankMSP')).toThrow(/no organization with MSP id BankMSP/);
  });
});
