// Chooses where the integration tests run Fabric: native processes, or Docker Compose driven by testcontainers.
import * as path from 'node:path';
import type { WaitStrategy } from 'testcontainers';
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

/**
 * testcontainers' wait strategy for one node: its /healthz (or, for a chaincode service, its port) answering on
 * the host network, as `network up` waits for it. A node that crashes while starting and is brought back by its
 * restart policy is waited for, not failed (a log-line wait ends with the first container's log stream); one that
 * never becomes healthy fails with its container's last lines.
 */
class HealthWait implements WaitStrategy {
  #timeoutMs = 120_000;
  #set = false;
  constructor(private readonly proc: NodeProcess) {}
  async waitUntilReady(): Promise<void> {
    await waitContainersHealthy([this.proc], this.#timeoutMs);
  }
  withStartupTimeout(startupTimeoutMs: number): WaitStrategy {
    this.#timeoutMs = startupTimeoutMs;
    this.#set = true;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.#set;
  }
  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

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
  const { DockerComposeEnvironment } = await import('testcontainers');
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
      for (const proc of procs) environment = environment.withWaitStrategy(`${proc.name}-1`, new HealthWait(proc));
      await environment.up(procs.map((p) => p.name));
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
