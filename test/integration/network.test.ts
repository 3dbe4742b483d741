// The real network: a CA-enrolled user's transaction commits VALID, every peer holds the block, strangers are refused.
import { sleep } from '@regchain/common';
import { EndorseError, type Gateway, type Identity, type Signer, signers } from '@hyperledger/fabric-gateway';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureFabric } from '../../network/src/binaries';
import { bootstrapSecret, enrolledUser } from '../../network/src/ca';
import { connectAs, type Connection, userIdentity } from '../../network/src/client';
import { caHome, STATE_DIR, userDir } from '../../network/src/paths';
import { CHAINCODE_NAME, CHANNEL, orgByKey, PEER_ORGS } from '../../network/src/topology';
import { blockByNumber, VALID } from '../support/ledger';

const enterprise = orgByKey('enterprise');
const auditor = orgByKey('auditor');
const regulator = orgByKey('regulator');
const runId = `${process.pid}-${Date.now()}`;
const open: Connection[] = [];

function as(orgKey: 'regulator' | 'bank' | 'enterprise' | 'auditor'): Gateway {
  const org = orgByKey(orgKey);
  const user = org.users[0];
  if (!user) throw new Error(`no user in ${orgKey}`);
  const connection = connectAs(org, user.name);
  open.push(connection);
  return connection.gateway;
}

async function waitForBlock(gateway: Gateway, number: bigint, txId: string): Promise<Awaited<ReturnType<typeof blockByNumber>>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const block = await blockByNumber(gateway, number);
      if (block.txIds.includes(txId)) return block;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(200);
  }
}

/** An identity that claims an org's MSP id but whose certificate comes from a root the channel does not know. */
async function forgedIdentity(mspId: string, domain: string): Promise<{ identity: Identity; signer: Signer }> {
  const fabric = await ensureFabric();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-forged-'));
  const config = path.join(dir, 'crypto.yaml');
  fs.writeFileSync(config, `PeerOrgs:\n  - Name: Forged\n    Domain: ${domain}\n    EnableNodeOUs: true\n    Users:\n      Count: 1\n`);
  execFileSync(path.join(fabric.binDir, 'cryptogen'), ['generate', `--config=${config}`, `--output=${dir}`]);
  const msp = path.join(dir, 'peerOrganizations', domain, 'users', `User1@${domain}`, 'msp');
  const cert = fs.readFileSync(path.join(msp, 'signcerts', fs.readdirSync(path.join(msp, 'signcerts'))[0] as string));
  const key = fs.readFileSync(path.join(msp, 'keystore', fs.readdirSync(path.join(msp, 'keystore'))[0] as string));
  fs.rmSync(dir, { recursive: true, force: true });
  return { identity: { mspId, credentials: cert }, signer: signers.newPrivateKeySigner(crypto.createPrivateKey(key)) };
}

afterAll(() => {
  for (const c of open) c.close();
});

describe('the supervision channel on the real network', () => {
  let committedBlock: bigint;
  let txId: string;

  it('commits a transaction from a CA-enrolled regulator user as VALID in a block', async () => {
    const contract = as('regulator').getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const submitted = await contract.submitAsync('system:recordProbe', { arguments: [`probe-${runId}`] });
    const status = await submitted.getStatus();
    expect(status.successful).toBe(true);
    expect(status.code).toBe(VALID);
    expect(status.blockNumber).toBeGreaterThan(0n);
    committedBlock = status.blockNumber;
    txId = submitted.getTransactionId();
    const record = JSON.parse(Buffer.from(submitted.getResult()).toString()) as { mspId: string; txId: string };
    expect(record).toMatchObject({ mspId: regulator.mspId, txId });
  });

  it('enrolled the user from its org CA with role and entity id in the certificate', () => {
    const user = enrolledUser(enterprise, 'enterprise1');
    expect(user).toBeDefined();
    const cert = new crypto.X509Certificate(fs.readFileSync(user?.certPath ?? ''));
    const orgRoot = new crypto.X509Certificate(
      fs.readFileSync(path.join(user?.mspDir ?? '', 'cacerts', fs.readdirSync(path.join(user?.mspDir ?? '', 'cacerts'))[0] as string)),
    );
    expect(cert.checkIssued(orgRoot)).toBe(true);
    expect(cert.subject).toContain('OU=client');
    expect(cert.raw.toString('latin1')).toContain('"role":"enterprise"');
    expect(cert.raw.toString('latin1')).toContain(`"entityId":"${enterprise.users[0]?.entityId}"`);
  });

  it("has the same block, with the transaction VALID, on the auditor's own peer", async () => {
    const onAuditor = await waitForBlock(as('auditor'), committedBlock, txId);
    const onRegulator = await waitForBlock(as('regulator'), committedBlock, txId);
    expect(onAuditor.headerDigest).toBe(onRegulator.headerDigest);
    const index = onAuditor.txIds.indexOf(txId);
    expect(onAuditor.validation[index]).toBe(VALID);
    expect(auditor.endorses).toBe(false);
  });

  it('reads the committed record back through another org', async () => {
    const contract = as('bank').getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const record = JSON.parse(Buffer.from(await contract.evaluateTransaction('system:readProbe', `probe-${runId}`)).toString()) as {
      probeId: string;
    };
    expect(record.probeId).toBe(`probe-${runId}`);
  });

  it.each([
    ['claims RegulatorMSP with a certificate from a foreign root', regulator.mspId, regulator.domain],
    ['names an MSP the channel does not have', 'RogueMSP', 'rogue.example.com'],
  ])('refuses a transaction signed by an identity that %s, and writes nothing', async (_what, mspId, domain) => {
    const forged = await forgedIdentity(mspId, domain);
    const connection = connectAs(regulator, 'unused', forged);
    open.push(connection);
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const probe = `forged-${mspId}-${runId}`;
    await expect(contract.submitTransaction('system:recordProbe', probe)).rejects.toBeInstanceOf(EndorseError);
    const reader = as('regulator').getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    await expect(reader.evaluateTransaction('system:readProbe', probe)).rejects.toThrow(/PROBE_NOT_FOUND/);
  });

  it("closes Fabric's own reads (qscc, block and chaincode events) to members' keys on their own peers, and keeps them open to supervisors", async () => {
    /** What a client gets from the chain past the chaincode: a block's worth of answers, or a refusal. */
    async function reads(gateway: Gateway): Promise<Record<string, 'read' | 'refused'>> {
      const network = gateway.getNetwork(CHANNEL);
      const qscc = network.getContract('qscc');
      const attempt = async (read: () => Promise<unknown>): Promise<'read' | 'refused'> =>
        read().then(
          () => 'read',
          () => 'refused',
        );
      const first = async (events: AsyncIterable<unknown> & { close(): void }): Promise<'read' | 'refused'> => {
        try {
          for await (const _ of events) return 'read';
          return 'refused';
        } catch {
          return 'refused';
        } finally {
          events.close();
        }
      };
      return {
        chainInfo: await attempt(() => qscc.evaluateTransaction('GetChainInfo', CHANNEL)),
        block: await attempt(() => qscc.evaluateTransaction('GetBlockByNumber', CHANNEL, String(committedBlock))),
        transaction: await attempt(() => qscc.evaluateTransaction('GetTransactionByID', CHANNEL, txId)),
        blockEvents: await first(await network.getBlockEvents({ startBlock: 0n })),
        filteredBlockEvents: await first(await network.getFilteredBlockEvents({ startBlock: 0n })),
        chaincodeEvents: await first(await network.getChaincodeEvents(CHAINCODE_NAME, { startBlock: 0n })),
      };
    }
    const refused = {
      chainInfo: 'refused',
      block: 'refused',
      transaction: 'refused',
      blockEvents: 'refused',
      filteredBlockEvents: 'refused',
      chaincodeEvents: 'refused',
    };
    const read = Object.fromEntries(Object.keys(refused).map((k) => [k, 'read']));
    // A member's client with its own key, against its own org's peer: offline signing gives it nothing more.
    expect(await reads(as('bank'))).toEqual(refused);
    expect(await reads(as('enterprise'))).toEqual(refused);
    // The auditor reads its own peer and a member's; the regulator reads its own.
    expect(await reads(as('auditor'))).toEqual(read);
    const auditorOnBankPeer = connectAs(orgByKey('bank'), 'unused', userIdentity(auditor, auditor.users[0]?.name as string));
    open.push(auditorOnBankPeer);
    expect(await reads(auditorOnBankPeer.gateway)).toEqual(read);
    expect(await reads(as('regulator'))).toEqual(read);
    // Members still submit and learn their own transactions' commit status through the gateway service.
    const bank = as('bank').getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const submitted = await bank.submitAsync('account:open', {
      arguments: [JSON.stringify({ accountId: `acl-${runId}`, ownerEntityId: orgByKey('bank').users[0]?.entityId, name: 'acl' })],
    });
    expect((await submitted.getStatus()).code).toBe(VALID);
  });

  it('keeps its secrets: state dir 0700, no password in the CA configs, no enrolment secret once enrolled', () => {
    expect(fs.statSync(STATE_DIR).mode & 0o777).toBe(0o700);
    for (const org of PEER_ORGS) {
      const config = fs.readFileSync(path.join(caHome(org), 'fabric-ca-server-config.yaml'), 'utf8');
      expect(config).not.toContain(bootstrapSecret(org));
      for (const user of org.users) expect(fs.existsSync(path.join(userDir(org, user.name), 'enrollment-secret'))).toBe(false);
    }
  });
});
