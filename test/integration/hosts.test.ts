// Each organisation on a host of its own (the test command's third pass, REGCHAIN_RUNTIME=hosts): one Docker
// Compose project and network namespace per organisation, reaching the others only by name on the consortium's
// network. The channel is formed, each org approves the chaincode with its own admin for its own service, a
// write is endorsed across hosts, and one org's whole host stopped under load and started again loses nothing
// acknowledged.
import { sleep } from '@regchain/common';
import * as path from 'node:path';
import { ensureFabric } from '../../network/src/binaries';
import { readCurrent } from '../../network/src/chaincode';
import { peerAdminEnv } from '../../network/src/config';
import { CODE, containerMounts, hosts, startHost, stopHost } from '../../network/src/docker/hosts';
import { run } from '../../network/src/exec';
import { dirs } from '../../network/src/paths';
import { CHAINCODE_NAME, CHANNEL, layout, orgByKey, PEER_ORGS } from '../../network/src/topology';
import { load, lost, post, startTarget, type Target } from '../support/load';

let target: Target;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ target, close } = await startTarget('hosts'));
});

afterAll(async () => {
  await close();
});

const ENT = orgByKey('enterprise').users[0]?.entityId as string;
const within = (dir: string, file: string): boolean => !path.relative(dir, file).startsWith('..');

describe('each organisation on its own host', () => {
  it('runs every node on its own organisation’s host, which mounts only that organisation’s folders', async () => {
    expect(layout()).toBe('hosts');
    for (const host of hosts()) {
      const mounts = await containerMounts(host);
      expect(Object.keys(mounts).sort()).toEqual(['host', ...host.processes.map((p) => p.name)].sort());
      for (const [serviceName, sources] of Object.entries(mounts)) {
        // The code (read-only) for the chaincode service; of the state folder, the org's own keys and data only.
        const foreign = sources.filter((s) => !CODE.includes(s) && !host.mounts.some((m) => within(m, s)));
        expect({ host: host.key, service: serviceName, foreign }).toEqual({ host: host.key, service: serviceName, foreign: [] });
        expect(sources).not.toContain(dirs.state);
      }
    }
  });

  it('has the chaincode approved by each organisation with its own admin, for its own chaincode service', async () => {
    const fabric = await ensureFabric();
    for (const org of PEER_ORGS) {
      const { stdout } = await run(
        path.join(fabric.binDir, 'peer'),
        ['lifecycle', 'chaincode', 'queryapproved', '-C', CHANNEL, '-n', CHAINCODE_NAME, '--output', 'json'],
        { env: peerAdminEnv(fabric, org) },
      );
      const approved = JSON.parse(stdout) as { source?: { Type?: { LocalPackage?: { package_id?: string } } } };
      expect({ org: org.key, packageId: approved.source?.Type?.LocalPackage?.package_id }).toEqual({ org: org.key, packageId: readCurrent(org)?.packageId });
    }
    const ids = new Set(PEER_ORGS.map((o) => readCurrent(o)?.packageId));
    expect(ids.size).toBe(PEER_ORGS.length);
  });

  it('endorses a transfer across hosts, verified from the auditor’s own host', async () => {
    const tag = Date.now().toString(36);
    for (const id of [`hosts-a-${tag}`, `hosts-b-${tag}`]) {
      expect((await post(target, 'bank1', '/v1/accounts', { accountId: id, ownerEntityId: ENT, name: id })).status).toBe(201);
    }
    const res = await post(target, 'bank1', '/v1/transfers', {
      fromAccount: `hosts-a-${tag}`,
      toAccount: `hosts-b-${tag}`,
      amount: 100,
      currency: 'CNY',
      purpose: 'goods',
      reference: `hosts-${tag}`,
    });
    expect(res.status).toBe(201);
    const audit = await fetch(`${target.url}/v1/audit/transactions/${res.body.transactionId}`, {
      headers: { authorization: `Bearer ${target.keys.auditor1}` },
    });
    const report = (await audit.json()) as { verified: boolean; endorsements: { mspId: string }[] };
    expect(report.verified).toBe(true);
    // The regulator's host and a member's: two organisations' hosts endorsed it, each with its own chaincode service.
    const endorsers = new Set(report.endorsements.map((e) => e.mspId));
    expect(endorsers.has('RegulatorMSP')).toBe(true);
    expect([...endorsers].some((m) => m === 'BankMSP' || m === 'EnterpriseMSP')).toBe(true);
  });

  it("loses nothing acknowledged when one organisation's whole host stops under load and starts again", async () => {
    const enterprise = hosts().find((h) => h.key === 'enterprise');
    if (!enterprise) throw new Error('no enterprise host');
    const traffic = load(target, 'hosts');
    await sleep(1500);
    const stoppedAt = Date.now();
    await stopHost(enterprise);
    const stopped = Date.now();
    await sleep(5000);
    const restartAt = Date.now();
    await startHost(enterprise);
    const backAt = Date.now();
    await sleep(5000);
    await traffic.stop();
    const during = traffic.outcomes.filter((o) => o.ok && o.at > stopped && o.at < restartAt);
    const byOrg = (org: string): number => during.filter((o) => o.org === org).length;
    process.stdout.write(
      `hosts: enterprise host stopped in ${stopped - stoppedAt} ms, back in ${backAt - restartAt} ms; acknowledged while it was down: ` +
        `${JSON.stringify({ bank: byOrg('bank'), regulator: byOrg('regulator'), enterprise: byOrg('enterprise') })}; ` +
        `${traffic.outcomes.filter((o) => o.ok).length} acknowledged, ${traffic.outcomes.filter((o) => !o.ok).length} failed in all\n`,
    );
    // The others kept writing while it was down (the bank's writes endorsed by the regulator and the bank), and
    // the enterprise's caller writes again after it is back.
    expect(byOrg('bank')).toBeGreaterThan(0);
    expect(byOrg('regulator')).toBeGreaterThan(0);
    expect(traffic.outcomes.some((o) => o.org === 'enterprise' && o.ok && o.at > backAt)).toBe(true);
    expect(await lost(target, traffic.outcomes)).toBe(0);
  }, 180_000);
});
