// Chooses where the integration tests run Fabric: native processes, or Docker Compose driven by testcontainers.
import * as path from 'node:path';
import { ensureFabric } from '../../network/src/binaries';
import { ensureDockerEngine } from '../../network/src/docker/engine';
import { ensureImages } from '../../network/src/docker/images';
import {
  COMPOSE_FILE,
  composeEnv,
  composeProject,
  dockerRuntime,
  nativeRuntime,
  type Runtime,
  runtimeByName,
  waitContainersHealthy,
} from '../../network/src/runtime';
import type { NodeProcess } from '../../network/src/topology';

/** What each kind of node logs once it serves; its /healthz (or port) is then asked as well. */
const READY: Record<NodeProcess['kind'], RegExp | undefined> = {
  orderer: /Beginning to serve requests/,
  peer: /Started peer with ID/,
  ca: /Listening on/,
  chaincode: undefined,
};

/**
 * The compose services started through testcontainers' DockerComposeEnvironment, in the engine found or started
 * for the tests' state folder (Ryuk off: its image cannot be pulled here, and the suite's teardown downs the
 * project by name); stopping goes through docker compose like the CLI's.
 */
async function testcontainersRuntime(): Promise<Runtime> {
  const engine = await ensureDockerEngine();
  // The services run on the host network: the host is this one (testcontainers would otherwise look for it on
  // a default bridge, which a private engine does not create).
  Object.assign(process.env, engine.env, { TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' });
  // The suite downloads no image: the missing ones are built from the pinned archives.
  await ensureImages(await ensureFabric(), { ...engine.env }, { pull: false });
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  return {
    name: 'docker',
    async start(_fabric, procs) {
      // After `down`, the private engine went with the network: it starts again here (the same socket).
      await ensureDockerEngine();
      let environment = new DockerComposeEnvironment(path.dirname(COMPOSE_FILE), path.basename(COMPOSE_FILE))
        .withProjectName(composeProject())
        .withEnvironment(composeEnv())
        .withClientOptions({ commandOptions: ['--no-deps'] })
        .withStartupTimeout(120_000);
      for (const proc of procs) {
        const ready = READY[proc.kind];
        if (ready) environment = environment.withWaitStrategy(`${proc.name}-1`, Wait.forLogMessage(ready));
      }
      await environment.up(procs.map((p) => p.name));
      await waitContainersHealthy(procs);
    },
    stop: (name) => dockerRuntime.stop(name),
    isRunning: (name) => dockerRuntime.isRunning(name),
    pid: (name) => dockerRuntime.pid(name),
    close: () => dockerRuntime.close?.() ?? Promise.resolve(false),
  };
}

/** REGCHAIN_RUNTIME=docker runs the suites on Docker (the test command's second pass), =hosts on a host per org (its third); otherwise native processes. */
export async function selectRuntime(): Promise<Runtime> {
  const wanted = process.env.REGCHAIN_RUNTIME;
  if (wanted === undefined || wanted === 'native') return nativeRuntime;
  if (wanted === 'docker') return testcontainersRuntime();
  // Each organisation on a Docker host of its own: one Compose project each, driven by the network CLI's runtime.
  if (wanted === 'hosts') return runtimeByName('hosts');
  throw new Error(`REGCHAIN_RUNTIME=${wanted}: use native, docker or hosts`);
}
