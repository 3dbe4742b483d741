// Chooses where the integration tests run Fabric: native processes, or Docker Compose via testcontainers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitHealthy } from '../../network/src/process';
import { COMPOSE_FILE, composeEnv, dockerRuntime, nativeRuntime, requireDefaultPorts, type Runtime } from '../../network/src/runtime';

function dockerSocketPresent(): boolean {
  return Boolean(process.env.DOCKER_HOST) || fs.existsSync('/var/run/docker.sock');
}

async function dockerEngineFound(): Promise<boolean> {
  if (!dockerSocketPresent()) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** The compose services started through testcontainers; stopping goes through docker compose. */
function testcontainersRuntime(): Runtime {
  return {
    name: 'docker',
    async start(_fabric, procs) {
      requireDefaultPorts();
      const { DockerComposeEnvironment } = await import('testcontainers');
      await new DockerComposeEnvironment(path.dirname(COMPOSE_FILE), path.basename(COMPOSE_FILE))
        .withProjectName('regchain')
        .withEnvironment(composeEnv())
        .up(procs.map((p) => p.name));
      await Promise.all(procs.map((p) => waitHealthy(p, 120_000)));
    },
    stop: (name) => dockerRuntime.stop(name),
    isRunning: (name) => dockerRuntime.isRunning(name),
  };
}

/**
 * REGCHAIN_RUNTIME=native|docker chooses; unset, Docker is used when an engine answers, else native.
 */
export async function selectRuntime(): Promise<Runtime> {
  const wanted = process.env.REGCHAIN_RUNTIME;
  if (wanted === 'native') return nativeRuntime;
  if (wanted === 'docker' || (wanted === undefined && (await dockerEngineFound()))) return testcontainersRuntime();
  if (wanted !== undefined) throw new Error(`REGCHAIN_RUNTIME=${wanted}: use native or docker`);
  return nativeRuntime;
}
