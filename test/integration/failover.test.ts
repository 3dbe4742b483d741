// Faults under load on the real network: every kind of process killed by PID while every org submits, and brought
// back by the runtime alone (a keeper per process natively, the restart policy on Docker) within 5 s. Nothing
// acknowledged is lost (each is read back from the auditor's peer) and every org's submits succeed again within 5 s.
import { sleep } from '@regchain/common';
import { ensureFabric } from '../../network/src/binaries';
import { waitForRaftLeader } from '../../network/src/channel';
import { isHealthy } from '../../network/src/process';
import { networkProcesses } from '../../network/src/topology';
import { selectRuntime } from '../support/runtime';
import { load, lost, type Outcome, startTarget, type Target } from '../support/load';

const RECOVERY_MS = 5000;
/** How long the runtime may take to bring a killed process back: its health check answers again. */
const BACK_WITHIN_MS = 5000;

let target: Target;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ target, close } = await startTarget('failover'));
});

afterAll(async () => {
  await close();
});

/**
 * Kills a process by its PID under load and leaves it to the runtime (its keeper natively, the restart policy
 * on Docker) to bring back; reports when it answered its health check again with a new PID, per org the last
 * failure after the kill and the acknowledged count.
 */
async function killUnderLoad(name: string, tag: string): Promise<{ outcomes: Outcome[]; killedAt: number; backMs: number | undefined }> {
  const proc = networkProcesses().find((p) => p.name === name);
  if (!proc) throw new Error(`no process ${name}`);
  const runtime = await selectRuntime();
  const traffic = load(target, tag);
  await sleep(1500);
  const pid = await runtime.pid(name);
  if (!pid) throw new Error(`${name} is not running`);
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  let backMs: number | undefined;
  while (Date.now() - killedAt < BACK_WITHIN_MS) {
    const now = await runtime.pid(name);
    if (now !== undefined && now !== pid && (await isHealthy(proc))) {
      backMs = Date.now() - killedAt;
      break;
    }
    await sleep(100);
  }
  await sleep(Math.max(0, killedAt + RECOVERY_MS + 3000 - Date.now()));
  await traffic.stop();
  // Not back on its own: the suite's network is made whole again for the next case, and this one fails below.
  if (backMs === undefined && !(await isHealthy(proc))) await runtime.start(await ensureFabric(), [proc]);
  return { outcomes: traffic.outcomes, killedAt, backMs };
}

function expectRecovered({ outcomes, killedAt, backMs }: { outcomes: readonly Outcome[]; killedAt: number; backMs: number | undefined }, fault: string): void {
  if (process.env.REGCHAIN_DEBUG_FAILOVER) process.stderr.write(`${JSON.stringify(outcomes.map((o) => [o.org[0], o.at - killedAt, o.ok]))}\n`);
  const recovery: Record<string, number> = {};
  const orgs = ['bank', 'enterprise', 'regulator'];
  for (const org of orgs) recovery[org] = Math.max(killedAt, ...outcomes.filter((o) => o.org === org && !o.ok).map((o) => o.at)) - killedAt;
  // The figures the operator's note reports: last failed submit after the kill, per org, the acknowledged count and the failures' answers.
  const failures: Record<string, number> = {};
  for (const o of outcomes) if (o.failure) failures[`${o.org} ${o.failure}`] = (failures[`${o.org} ${o.failure}`] ?? 0) + 1;
  process.stdout.write(
    `failover ${fault}: back after ${backMs ?? 'more than 5000'} ms; last failure after the kill (ms) ${JSON.stringify(recovery)}; ${outcomes.filter((o) => o.ok).length} acknowledged; failures ${JSON.stringify(failures)}\n`,
  );
  expect({ fault, backWithin5s: backMs !== undefined }).toEqual({ fault, backWithin5s: true });
  // A write that fails while a process is down says so as a retryable 503, never as a bad gateway.
  expect(Object.keys(failures).filter((f) => !/ 503 /.test(f))).toEqual([]);
  for (const org of orgs) {
    expect({ org, recoveredWithinMs: (recovery[org] ?? 0) <= RECOVERY_MS }).toEqual({ org, recoveredWithinMs: true });
    expect(outcomes.filter((o) => o.org === org && o.ok && o.at > killedAt + RECOVERY_MS).length).toBeGreaterThan(0);
  }
}

// Natively every writing org's peer and chaincode service; on Docker (the second pass, where time is shorter) one of
// each kind, the regulator's chaincode included, since the restart policy is the same for every container.
const KILLED =
  process.env.REGCHAIN_RUNTIME === 'docker'
    ? ['peer-bank', 'chaincode-bank', 'chaincode-regulator', 'ca-bank']
    : ['peer-regulator', 'peer-bank', 'peer-enterprise', 'chaincode-bank', 'chaincode-enterprise', 'chaincode-regulator', 'ca-bank'];

// Every kind of process, killed under load: a peer of each writing org, a member's chaincode service (endorsed
// around: the other member's stands in) and the regulator's (which none can replace: writes answer 503 with
// Retry-After until it is back), a CA, and the Raft leader.
describe('a process killed under load', () => {
  it.each(KILLED)('%s is back within 5 s, loses no acknowledged transaction, and every org writes again within 5 s', async (name) => {
    const killed = await killUnderLoad(name, name);
    expectRecovered(killed, name);
    expect(await lost(target, killed.outcomes)).toBe(0);
  });

  it('the Raft leader is back and replaced within 5 s, and loses no acknowledged transaction', async () => {
    const leader = await waitForRaftLeader();
    const killed = await killUnderLoad(leader, 'leader');
    expectRecovered(killed, `Raft leader ${leader}`);
    expect(await lost(target, killed.outcomes)).toBe(0);
    await waitForRaftLeader();
  }, 240_000);
});
