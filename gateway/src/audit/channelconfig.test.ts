// Revocation lists in a channel's MSPs: a certificate its CA revoked signs nothing the verifier accepts (creator,
// endorser or orderer alike), and a list no CA of the MSP signed revokes nothing.
import { common, msp } from '@hyperledger/fabric-protos';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChannelConfig } from './channelconfig';

interface Pki {
  readonly ca: string;
  readonly leaf: string;
  readonly leafKey: crypto.KeyObject;
  /** A CRL the CA signed, revoking the leaf. */
  readonly crl: string;
  /** The same CRL signed by a stranger's CA. */
  readonly foreignCrl: string;
}

/** A CA, a leaf it issues and revokes, and CRLs, made with openssl as an org's CA would. */
function pki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-crl-'));
  const at = (f: string): string => path.join(dir, f);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    for (const name of ['ca', 'stranger'])
      ssl('req', '-x509', ...ec, '-keyout', at(`${name}.key`), '-out', at(`${name}.crt`), '-subj', `/O=Org/CN=${name}`, '-days', '3650');
    ssl('req', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/O=Org/OU=peer/CN=peer0');
    ssl('x509', '-req', '-in', at('leaf.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-set_serial', '4660', '-out', at('leaf.crt'), '-days', '3650');
    const crl = (issuer: string): string => {
      fs.writeFileSync(at('index.txt'), '');
      fs.writeFileSync(at('crlnumber'), '01\n');
      const conf = `[ca]\ndefault_ca=d\n[d]\ndatabase=${at('index.txt')}\ncrlnumber=${at('crlnumber')}\ndefault_md=sha256\ndefault_crl_days=30\n`;
      fs.writeFileSync(at('ca.cnf'), conf);
      ssl('ca', '-config', at('ca.cnf'), '-revoke', at('leaf.crt'), '-keyfile', at(`${issuer}.key`), '-cert', at(`${issuer}.crt`));
      ssl('ca', '-config', at('ca.cnf'), '-gencrl', '-keyfile', at(`${issuer}.key`), '-cert', at(`${issuer}.crt`), '-out', at(`${issuer}.crl`));
      return fs.readFileSync(at(`${issuer}.crl`), 'utf8');
    };
    return {
      ca: fs.readFileSync(at('ca.crt'), 'utf8'),
      leaf: fs.readFileSync(at('leaf.crt'), 'utf8'),
      leafKey: crypto.createPrivateKey(fs.readFileSync(at('leaf.key'))),
      crl: crl('ca'),
      foreignCrl: crl('stranger'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A channel config with one application org, BankMSP, rooted at `ca` and carrying `crls`. */
function configWith(ca: string, crls: string[]): ChannelConfig {
  const fabric = new msp.FabricMSPConfig();
  fabric.setName('BankMSP');
  fabric.setRootCertsList([Buffer.from(ca)]);
  fabric.setRevocationListList(crls.map((c) => Buffer.from(c)));
  const mspConfig = new msp.MSPConfig();
  mspConfig.setType(0);
  mspConfig.setConfig(fabric.serializeBinary());
  const value = new common.ConfigValue();
  value.setValue(mspConfig.serializeBinary());
  const org = new common.ConfigGroup();
  org.getValuesMap().set('MSP', value);
  const application = new common.ConfigGroup();
  application.getGroupsMap().set('BankMSP', org);
  const root = new common.ConfigGroup();
  root.getGroupsMap().set('Application', application);
  const config = new common.Config();
  config.setSequence(3);
  config.setChannelGroup(root);
  return new ChannelConfig(config);
}

describe('revocation lists in the configuration in force', () => {
  const keys = pki();
  const data = Buffer.from('proposal response payload');
  const identity = (): Uint8Array => {
    const id = new msp.SerializedIdentity();
    id.setMspid('BankMSP');
    id.setIdBytes(Buffer.from(keys.leaf));
    return id.serializeBinary();
  };
  // A low-S signature, as Fabric's signers make.
  const sign = (): Buffer => {
    for (;;) {
      const sig = crypto.sign('sha256', data, { key: keys.leafKey, dsaEncoding: 'der' });
      const config = configWith(keys.ca, []);
      if (config.checkSigner(identity(), data, sig, new Date()).signature === 'valid') return sig;
    }
  };
  const signature = sign();

  it('accepts the certificate while no list revokes it', () => {
    const signer = configWith(keys.ca, []).checkSigner(identity(), data, signature, new Date());
    expect(signer).toMatchObject({ ok: true, revoked: false, chainsToOrgRoot: true, roles: ['member'] });
    expect(configWith(keys.ca, []).applicationMsps).toEqual(new Set(['BankMSP']));
  });

  it('refuses it once its CA revoked it, whatever it signs', () => {
    const signer = configWith(keys.ca, [keys.crl]).checkSigner(identity(), data, signature, new Date());
    expect(signer).toMatchObject({ ok: false, revoked: true, signature: 'valid', chainsToOrgRoot: true });
  });

  it('ignores a list no CA of the MSP signed', () => {
    const signer = configWith(keys.ca, [keys.foreignCrl, 'not a CRL']).checkSigner(identity(), data, signature, new Date());
    expect(signer).toMatchObject({ ok: true, revoked: false });
  });
});
