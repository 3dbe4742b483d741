// docker-compose.yaml against the network definition: one service per process, the pinned images, its env file.
// (The Docker pass of the test command runs it for real: lifecycle, gateway and failover suites.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../../network/src/paths';
import { FABRIC_CA_VERSION, FABRIC_VERSION, networkProcesses, PORT_OFFSET } from '../../network/src/topology';

interface Service {
  image: string;
  network_mode?: string;
  env_file?: string;
  volumes?: string[];
  environment?: Record<string, string>;
  labels?: Record<string, string>;
}

const compose = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const procs = networkProcesses();

describe('docker-compose.yaml', () => {
  it('has exactly one service per process of the topology', () => {
    expect(Object.keys(services).sort()).toEqual(procs.map((p) => p.name).sort());
  });

  it.each(procs.map((p) => [p.name, p] as const))('%s uses the pinned image, its env file and its ports', (name, proc) => {
    const service = services[name] as Service;
    const expectedImage = {
      orderer: `hyperledger/fabric-orderer:${FABRIC_VERSION}`,
      peer: `hyperledger/fabric-peer:${FABRIC_VERSION}`,
      ca: `hyperledger/fabric-ca:${FABRIC_CA_VERSION}`,
      chaincode: 'node:20-bookworm-slim',
    }[proc.kind];
    expect(service.image).toBe(expectedImage);
    expect(service.network_mode).toBe('host');
    expect(service.env_file).toBe(`\${REGCHAIN_HOME}/env/${name}.env`);
    // The labels name the default ports; with an offset the env files (and so the nodes) move, the labels do not.
    expect(service.labels?.['regchain.ports']).toBe(proc.ports.map((p) => p.port - PORT_OFFSET).join(','));
    if (proc.healthUrl)
      expect(service.labels?.['regchain.health']).toBe(proc.healthUrl.replace(/:(\d+)\//, (_m, port: string) => `:${Number(port) - PORT_OFFSET}/`));
  });

  it('mounts the generated state at the same path in every service, so one set of env files serves both runtimes', () => {
    for (const service of Object.values(services)) {
      expect(service.volumes?.[0]).toMatch(/^\$\{REGCHAIN_HOME(:\?[^}]*)?\}:\$\{REGCHAIN_HOME\}$/);
    }
  });

  it("points peers at the image's own config and ccaas builder", () => {
    for (const proc of procs.filter((p) => p.kind === 'peer')) {
      const env = services[proc.name]?.environment ?? {};
      expect(env.FABRIC_CFG_PATH).toBe('/etc/hyperledger/fabric');
      expect(env.CORE_CHAINCODE_EXTERNALBUILDERS).toContain('/opt/hyperledger/ccaas_builder');
    }
  });
});
