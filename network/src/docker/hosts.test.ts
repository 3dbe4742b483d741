// The multi-host layout: every process on exactly one organisation's host, each host mounting only its own
// organisation's folders, and the compose files naming the WAN as the only way between hosts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { dirs, ordererOrgDir, peerOrgDir, STATE_DIR } from '../paths';
import { networkProcesses, PEER_ORGS } from '../topology';
import { hosts, WAN, writeHostComposeFiles } from './hosts';

const inside = (dir: string, p: string): boolean => !path.relative(dir, p).startsWith('..');

it('puts every process on exactly one host, the orderers on the orderer organisation’s', () => {
  const placed = hosts().flatMap((h) => h.processes.map((p) => p.name));
  expect([...placed].sort()).toEqual(
    networkProcesses()
      .map((p) => p.name)
      .sort(),
  );
  expect(
    hosts()
      .find((h) => h.key === 'orderer')
      ?.processes.every((p) => p.kind === 'orderer'),
  ).toBe(true);
});

it("mounts no other organisation's folder on a host", () => {
  const orgDirs = [{ key: 'orderer', dir: ordererOrgDir() }, ...PEER_ORGS.map((o) => ({ key: o.key, dir: peerOrgDir(o) }))];
  for (const host of hosts()) {
    for (const m of host.mounts) {
      expect(m).not.toBe(dirs.state);
      const owners = orgDirs.filter((o) => inside(o.dir, m)).map((o) => o.key);
      expect(owners.every((k) => k === host.key)).toBe(true);
    }
  }
});

it('writes one compose project per host: its nodes in the host’s namespace, only the host on the WAN', () => {
  writeHostComposeFiles();
  for (const host of hosts()) {
    const doc = YAML.parse(fs.readFileSync(path.join(STATE_DIR, 'hosts', `${host.key}.compose.yaml`), 'utf8')) as {
      networks: { wan: { name: string; external: boolean } };
      services: Record<string, { network_mode?: string; networks?: Record<string, { aliases: string[] }>; ports?: string[] }>;
    };
    expect(doc.networks.wan).toEqual({ external: true, name: WAN });
    expect(doc.services.host?.networks?.wan?.aliases).toEqual(host.names);
    expect(doc.services.host?.ports?.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
    for (const p of host.processes) expect(doc.services[p.name]?.network_mode).toBe('service:host');
  }
});
