// Network lifecycle on the real processes: up is idempotent, down stops by PID, up after down, redeploy bumps the sequence.
import { sleep } from '@regchain/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureFabric } from '../../network/src/binaries';
import { CHAINCODE_DIR, committedDefinition, deployChaincode } from '../../network/src/chaincode';
import { connectAs } from '../../network/src/client';
import { down, status, up } from '../../network/src/network';
import { dirs } from '../../network/src/paths';
import { pidAlive } from '../../network/src/process';
import { CHAINCODE_NAME, CHANNEL, networkProcesses, orgByKey } from '../../network/src/topology';
import { selectRuntime } from '../support/runtime';

async function submitProbe(id: string): Promise<number> {
  const org = orgByKey('regulator');
  const connection = connectAs(org, 'regulator1');
  try {
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const submitted = await contract.submitAsync('system:recordProbe', { arguments: [id] });
        return (await submitted.getStatus()).code;
      } catch (err) {
        // Right after a restart Raft elects a leader before the orderers accept transactions.
        if (Date.now() > deadline) throw err;
        await sleep(500);
      }
    }
  } finally {
    connection.close();
  }
}

describe('network lifecycle', () => {
  it('does not start a second network when one is up', async () => {
    const runtime = await selectRuntime();
    const before = await Promise.all(networkProcesses().map((p) => runtime.pid(p.name)));
    const report = await up({ runtime });
    expect(report.alreadyRunning).toBe(true);
    expect(await Promise.all(networkProcesses().map((p) => runtime.pid(p.name)))).toEqual(before);
  });

  it('stops exactly the processes it started, and comes back up with its ledger', async () => {
    const runtime = await selectRuntime();
    const pids = (await Promise.all(networkProcesses().map((p) => runtime.pid(p.name)))).filter((pid): pid is number => pid !== undefined);
    expect(pids).toHaveLength(networkProcesses().length);
    const stopped = await down({ purge: false, runtime });
    // On Docker, a private engine started for these tests goes too ('dockerd').
    expect(stopped.filter((name) => name !== 'dockerd').sort()).toEqual(
      networkProcesses()
        .map((p) => p.name)
        .sort(),
    );
    expect(pids.filter((pid) => pidAlive(pid))).toEqual([]);
    expect((await status(runtime)).every((s) => s.state === 'stopped')).toBe(true);

    const report = await up({ runtime });
    expect(report.alreadyRunning).toBe(false);
    expect((await status(runtime)).every((s) => s.state === 'running' && s.healthy)).toBe(true);
    expect(await submitProbe(`after-restart-${Date.now()}`)).toBe(0);
  });

  it('starts exactly what is missing in a half-started network, and leaves the rest running', async () => {
    const runtime = await selectRuntime();
    // Stopped, not crashed: its keeper (natively) or its container (Docker) is gone too, so nothing brings it back but up.
    await runtime.stop('ca-auditor');
    expect(await runtime.isRunning('ca-auditor')).toBe(false);
    const others = networkProcesses().filter((p) => p.name !== 'ca-auditor');
    const before = await Promise.all(others.map((p) => runtime.pid(p.name)));
    const report = await up({ runtime });
    expect(report.alreadyRunning).toBe(false);
    expect(await Promise.all(others.map((p) => runtime.pid(p.name)))).toEqual(before);
    expect((await status(runtime)).every((s) => s.state === 'running' && s.healthy)).toBe(true);
    expect(await submitProbe(`after-half-start-${Date.now()}`)).toBe(0);
  });

  it('hands the other organisations only public material: no key, no signing or admin certificate', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else files.push(path.join(dir, e.name));
      }
    };
    walk(dirs.exchange);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => /keystore|signcerts|admincerts|_sk$|\.key$/.test(f))).toEqual([]);
    expect(files.filter((f) => fs.readFileSync(f, 'utf8').includes('PRIVATE KEY'))).toEqual([]);
  });

  it('redeploys changed chaincode with the next sequence, and leaves unchanged chaincode alone', async () => {
    const runtime = await selectRuntime();
    const fabric = await ensureFabric();
    const before = await committedDefinition(fabric);
    expect(before).toBeDefined();

    const unchanged = await deployChaincode(fabric, runtime);
    expect(unchanged.changed).toBe(false);
    expect(unchanged.sequence).toBe(before?.sequence);

    const marker = path.join(CHAINCODE_DIR, 'src', `redeploy-marker-${process.pid}.ts`);
    fs.writeFileSync(marker, `// Temporary file of the lifecycle test: changes the chaincode's content.\nexport const marker = ${Date.now()};\n`);
    try {
      const changed = await deployChaincode(fabric, runtime);
      expect(changed.changed).toBe(true);
      expect(changed.sequence).toBe((before?.sequence ?? 0) + 1);
    } finally {
      fs.rmSync(marker, { force: true });
    }
    const restored = await deployChaincode(fabric, runtime);
    expect(restored.sequence).toBe((before?.sequence ?? 0) + 2);
    expect(await submitProbe(`after-redeploy-${Date.now()}`)).toBe(0);
  });
});
