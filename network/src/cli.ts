// Command line for the local network: install, up, down [--purge], status, deploy, the gateway and monitor processes, CRLs.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureFabric } from './binaries';
import { deployChaincode } from './chaincode';
import { log, NetworkError } from './log';
import { down, endpoints, recordedRuntime, status, up, waitEndorsable } from './network';
import { startGateway, startMonitor } from './gateway';
import { stopProcess } from './process';
import { publishCrl } from './revoke';
import { runtimeByName } from './runtime';
import { ensureDockerEngine } from './docker/engine';
import { buildImages } from './docker/images';
import { PEER_ORGS } from './topology';

const USAGE = `usage: network <command>
  install          find or install the pinned Fabric binaries
  images           build the images docker-compose.yaml names from the pinned release archives (for machines
                   that cannot pull them; built once, reused after), in the Docker engine found or started
  (add --docker, or set REGCHAIN_RUNTIME=docker, to run the services with Docker Compose; --hosts, or
  REGCHAIN_RUNTIME=hosts, to run each organisation on a Docker host of its own)
  up               start the network (or reuse a healthy one) and deploy the chaincode
  down [--purge]   stop the processes the network started; --purge also deletes its state
  status           show each process, its PID, health and memory
  deploy           rebuild the chaincode and redeploy it if it changed (bumps the sequence)
  gateway start    run the REST gateway in the background (log and PID file beside the network's)
  gateway stop     stop it, letting in-flight submits finish
  monitor start    run the monitor in the background (follows the chain, raises pattern alerts)
  monitor stop     stop it (it resumes from its checkpoint)
  publish-crl --msp MSPID --file crl.pem
                   put an org's CRL (from \`gateway:admin revoke-caller\`) into the channel config, signed by its admin`;

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv;
  // Strict: an unknown flag, or one without its value, is refused (not ignored).
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { docker: { type: 'boolean' }, hosts: { type: 'boolean' }, purge: { type: 'boolean' }, msp: { type: 'string' }, file: { type: 'string' } },
    });
  } catch (err) {
    throw new NetworkError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals: rest } = parsed;
  // The runtime asked for, else the one this state folder's network was brought up with (down and status follow it).
  const runtime = runtimeByName(
    values.hosts ? 'hosts' : values.docker ? 'docker' : (process.env.REGCHAIN_RUNTIME ?? (command === 'up' ? undefined : recordedRuntime())),
  );
  switch (command) {
    case 'install': {
      const fabric = await ensureFabric();
      log.done(`Fabric binaries in ${fabric.binDir} (from ${fabric.source})`);
      return;
    }
    case 'images': {
      const engine = await ensureDockerEngine();
      const t0 = Date.now();
      const { built, reused } = await buildImages(await ensureFabric(), { ...engine.env });
      log.done(
        `images ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${built.length} built, ${reused.length} reused (${[...built, ...reused].join(', ')})`,
      );
      if (engine.private) log.step(`  engine: DOCKER_HOST=${engine.env.DOCKER_HOST ?? ''} (stopped by \`npm run network -- down --docker\`)`);
      return;
    }
    case 'up': {
      const t0 = Date.now();
      const report = await up({ runtime });
      const total = ((Date.now() - t0) / 1000).toFixed(1);
      log.done(report.alreadyRunning ? `network was already up (checked in ${total} s)` : `network up in ${total} s`);
      for (const [phase, ms] of Object.entries(report.timings)) log.step(`  ${phase.padEnd(14)} ${(ms / 1000).toFixed(2)} s`);
      for (const line of endpoints()) process.stdout.write(`${line}\n`);
      return;
    }
    case 'down': {
      const purge = values.purge === true;
      const stopped = await down({ purge, runtime });
      log.done(`stopped ${stopped.length} process(es)${stopped.length ? `: ${stopped.join(', ')}` : ''}${purge ? '; state purged' : ''}`);
      return;
    }
    case 'status': {
      const rows = await status(runtime);
      let total = 0;
      for (const r of rows) {
        total += r.rssKiB ?? 0;
        const mem = r.rssKiB ? `${(r.rssKiB / 1024).toFixed(0)} MiB` : '';
        process.stdout.write(
          `${r.name.padEnd(16)} ${r.state.padEnd(8)} ${r.healthy ? 'healthy  ' : '         '} ${String(r.pid ?? '').padEnd(8)} ${mem.padEnd(8)} ${r.ports}\n`,
        );
      }
      process.stdout.write(`total resident memory: ${(total / 1024).toFixed(0)} MiB\n`);
      if (rows.some((r) => r.state === 'stale')) process.stdout.write('stale PID files found: `npm run network:up` removes them\n');
      return;
    }
    case 'deploy': {
      const t0 = Date.now();
      const fabric = await ensureFabric();
      const result = await deployChaincode(fabric, runtime);
      if (result.changed) await waitEndorsable();
      log.done(`${result.changed ? 'deployed' : 'unchanged:'} ${result.pkg.label} sequence ${result.sequence} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    case 'gateway':
      if (rest[0] === 'start') return startGateway();
      if (rest[0] === 'stop') return log.done(`gateway ${await stopProcess('gateway', 35_000)}`);
      break;
    case 'monitor':
      if (rest[0] === 'start') return startMonitor();
      if (rest[0] === 'stop') return log.done(`monitor ${await stopProcess('monitor', 15_000)}`);
      break;
    case 'publish-crl': {
      const [mspId, file] = [values.msp, values.file];
      const org = PEER_ORGS.find((o) => o.mspId === mspId);
      if (!org || !file) break;
      const height = await publishCrl(await ensureFabric(), org, fs.readFileSync(file, 'utf8'));
      log.done(`${org.mspId}'s CRL is in the channel config; every peer is at height ≥ ${height}`);
      return;
    }
    default:
  }
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof NetworkError) {
    process.stderr.write(`\nerror: ${err.message}\n`);
  } else {
    process.stderr.write(`\nunexpected error: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
});
