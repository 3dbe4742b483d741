// Creates channel "supervision": orderers join through the channel participation API, then every peer joins.
import { until } from '@regchain/common';
import * as path from 'node:path';
import type { FabricInstall } from './binaries';
import { peerAdminEnv } from './config';
import { run } from './exec';
import { NetworkError } from './log';
import { genesisBlock, ordererAdminDir, ordererDir } from './paths';
import { httpGet } from './process';
import { CHANNEL, DIAL_HOST, HOST, ORDERERS, PEERS, type Orderer, type PeerNode } from './topology';

function osnadminArgs(o: Orderer): string[] {
  const admin = path.join(ordererAdminDir(), 'tls');
  return [
    '-o',
    `${DIAL_HOST}:${o.adminPort}`,
    '--ca-file',
    path.join(ordererDir(o), 'tls', 'ca.crt'),
    '--client-cert',
    path.join(admin, 'client.crt'),
    '--client-key',
    path.join(admin, 'client.key'),
  ];
}

async function ordererHasChannel(fabric: FabricInstall, o: Orderer): Promise<boolean> {
  try {
    const { stdout } = await run(path.join(fabric.binDir, 'osnadmin'), ['channel', 'list', '--channelID', CHANNEL, ...osnadminArgs(o)]);
    return stdout.includes(`"name": "${CHANNEL}"`) || stdout.includes(`"name":"${CHANNEL}"`);
  } catch {
    return false;
  }
}

/** Joins each orderer that has not joined yet. */
export async function joinOrderers(fabric: FabricInstall): Promise<number> {
  const joined = await Promise.all(ORDERERS.map((o) => ordererHasChannel(fabric, o)));
  const pending = ORDERERS.filter((_o, i) => !joined[i]);
  await Promise.all(
    pending.map((o) =>
      run(path.join(fabric.binDir, 'osnadmin'), ['channel', 'join', '--channelID', CHANNEL, '--config-block', genesisBlock(), ...osnadminArgs(o)]),
    ),
  );
  return pending.length;
}

/** Waits until one orderer reports itself Raft leader of the channel (from its Prometheus metrics). */
export async function waitForRaftLeader(timeoutMs = 30_000): Promise<string> {
  const pattern = new RegExp(`consensus_etcdraft_is_leader\\{channel="${CHANNEL}"\\} 1`);
  const leader = await until(
    async () => {
      for (const o of ORDERERS) {
        try {
          const { body } = await httpGet(`http://${HOST}:${o.opsPort}/metrics`);
          if (pattern.test(body)) return o.name;
        } catch {
          // not answering yet
        }
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (leader) return leader;
  throw new NetworkError(`no Raft leader for channel ${CHANNEL} after ${timeoutMs / 1000} s; read .regchain/logs/orderer*.log`);
}

async function peerHasChannel(fabric: FabricInstall, node: PeerNode): Promise<boolean> {
  const { stdout } = await run(path.join(fabric.binDir, 'peer'), ['channel', 'list'], { env: peerAdminEnv(fabric, node.org, node) });
  return stdout.split('\n').some((line) => line.trim() === CHANNEL);
}

/** Joins each peer that has not joined yet, from the genesis block. */
export async function joinPeers(fabric: FabricInstall): Promise<number> {
  let joined = 0;
  await Promise.all(
    PEERS.map(async (node) => {
      if (await peerHasChannel(fabric, node)) return;
      await run(path.join(fabric.binDir, 'peer'), ['channel', 'join', '-b', genesisBlock()], { env: peerAdminEnv(fabric, node.org, node) });
      joined += 1;
    }),
  );
  return joined;
}

/**
 * Block height of the channel on one peer, from its operations endpoint's metrics: qscc answers the
 * supervisors' orgs only (the channel's ACLs), and a member peer's own admin is not one of them.
 */
export async function peerHeight(_fabric: FabricInstall, node: PeerNode): Promise<number> {
  const res = await fetch(`http://${HOST}:${node.opsPort}/metrics`);
  const text = await res.text();
  const match = new RegExp(`^ledger_blockchain_height\\{channel="${CHANNEL}"\\} (\\d+)`, 'm').exec(text);
  if (!match?.[1]) throw new NetworkError(`${node.host} reports no height for channel ${CHANNEL} on its operations endpoint`);
  return Number(match[1]);
}
