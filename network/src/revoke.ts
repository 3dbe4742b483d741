// Revocation that reaches Fabric: once the org's CA has revoked a certificate and issued a CRL (the gateway's
// `revoke-caller`), a channel config update puts the CRL into the org's MSP, so every peer refuses the
// certificate from the next block on.
import { until } from '@regchain/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FabricInstall } from './binaries';
import { peerHeight } from './channel';
import { peerAdminEnv } from './config';
import { run } from './exec';
import { NetworkError } from './log';
import { ordererTlsCa } from './paths';
import { anchorPeer, CHANNEL, DIAL_HOST, ORDERERS, PEERS, type PeerOrg } from './topology';

interface ConfigJson {
  channel_group: {
    groups: { Application: { groups: Record<string, { values: { MSP: { value: { config: { name: string; revocation_list?: string[] } } } } }> } };
  };
}

/**
 * Sets the org's MSP revocation list in the channel config: fetch, change, compute the update with
 * configtxlator, and submit it signed by the org's admin (the MSP value's mod_policy is the org's Admins).
 */
export async function publishCrl(fabric: FabricInstall, org: PeerOrg, crlPem: string): Promise<number> {
  const bin = (name: string): string => path.join(fabric.binDir, name);
  const env = peerAdminEnv(fabric, org);
  const orderer = ORDERERS[0];
  if (!orderer) throw new NetworkError('the topology has no orderer');
  const ordererArgs = ['-o', `${DIAL_HOST}:${orderer.port}`, '--tls', '--cafile', ordererTlsCa()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-crl-'));
  const at = (f: string): string => path.join(dir, f);
  try {
    const before = await peerHeight(fabric, anchorPeer(org));
    await run(bin('peer'), ['channel', 'fetch', 'config', at('block.pb'), '-c', CHANNEL, ...ordererArgs], { env });
    await run(bin('configtxlator'), ['proto_decode', '--input', at('block.pb'), '--type', 'common.Block', '--output', at('block.json')]);
    const block = JSON.parse(fs.readFileSync(at('block.json'), 'utf8')) as { data: { data: { payload: { data: { config: ConfigJson } } }[] } };
    const config = block.data.data[0]?.payload.data.config;
    if (!config) throw new NetworkError('the config block holds no config');
    fs.writeFileSync(at('config.json'), JSON.stringify(config));
    const group = Object.values(config.channel_group.groups.Application.groups).find((g) => g.values.MSP.value.config.name === org.mspId);
    if (!group) throw new NetworkError(`${org.mspId} is not an application org of ${CHANNEL}`);
    group.values.MSP.value.config.revocation_list = [Buffer.from(crlPem).toString('base64')];
    fs.writeFileSync(at('updated.json'), JSON.stringify(config));
    for (const name of ['config', 'updated']) {
      await run(bin('configtxlator'), ['proto_encode', '--input', at(`${name}.json`), '--type', 'common.Config', '--output', at(`${name}.pb`)]);
    }
    await run(bin('configtxlator'), [
      'compute_update',
      '--channel_id',
      CHANNEL,
      '--original',
      at('config.pb'),
      '--updated',
      at('updated.pb'),
      '--output',
      at('update.pb'),
    ]);
    await run(bin('configtxlator'), ['proto_decode', '--input', at('update.pb'), '--type', 'common.ConfigUpdate', '--output', at('update.json')]);
    const envelope = {
      payload: {
        header: { channel_header: { channel_id: CHANNEL, type: 2 } },
        data: { config_update: JSON.parse(fs.readFileSync(at('update.json'), 'utf8')) as unknown },
      },
    };
    fs.writeFileSync(at('envelope.json'), JSON.stringify(envelope));
    await run(bin('configtxlator'), ['proto_encode', '--input', at('envelope.json'), '--type', 'common.Envelope', '--output', at('envelope.pb')]);
    await run(bin('peer'), ['channel', 'update', '-f', at('envelope.pb'), '-c', CHANNEL, ...ordererArgs], { env });
    // Every peer applies the config block before the revocation is in force everywhere.
    let heights: number[] = [];
    const applied = await until(
      async () => {
        heights = await Promise.all(PEERS.map((p) => peerHeight(fabric, p)));
        return heights.every((h) => h > before) ? Math.min(...heights) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    if (applied === undefined) throw new NetworkError(`the CRL update of ${org.mspId} did not reach every peer within 30 s (heights ${heights.join(', ')})`);
    return applied;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
