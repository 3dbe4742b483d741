// An identity kept in an MSP folder, as fabric-ca-client and cryptogen write it: signcerts/cert.pem and keystore/*_sk.
import { type Identity, type Signer, signers } from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MspFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** The certificate and private key files of an MSP folder, or undefined when either is missing. */
export function mspFiles(mspDir: string): MspFiles | undefined {
  const certPath = path.join(mspDir, 'signcerts', 'cert.pem');
  const keystore = path.join(mspDir, 'keystore');
  if (!fs.existsSync(certPath) || !fs.existsSync(keystore)) return undefined;
  const key = fs.readdirSync(keystore).find((f) => f.endsWith('_sk'));
  return key ? { certPath, keyPath: path.join(keystore, key) } : undefined;
}

/** The gateway identity and signer of an MSP folder's certificate and key. */
export function mspIdentity(mspId: string, files: MspFiles): { identity: Identity; signer: Signer } {
  return {
    identity: { mspId, credentials: fs.readFileSync(files.certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(files.keyPath))),
  };
}
