// Local images under the official names, for machines that cannot pull them: made from the pinned release
// archives (the same binaries the native runtime runs) in the official images' layout (binaries in
// /usr/local/bin, config in /etc/hyperledger/fabric, the ccaas builder in /opt/hyperledger/ccaas_builder), and a
// Node runtime from Debian's nodejs package. Fabric's peer, orderer and tools are static Go and need nothing
// else; fabric-ca (cgo, for SQLite) and node get the shared libraries they link, read from `ldd`. Each image
// carries a label with the digest of what went into it, so building twice reuses what is built.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ARCHIVES, type FabricInstall } from '../binaries';
import { log, NetworkError } from '../log';
import { cacheDir } from '../paths';
import { FABRIC_CA_VERSION, FABRIC_VERSION } from '../topology';

const exec = promisify(execFile);

/** The images docker-compose.yaml names; the Node one is the chaincode services'. */
export const IMAGES = {
  peer: `hyperledger/fabric-peer:${FABRIC_VERSION}`,
  orderer: `hyperledger/fabric-orderer:${FABRIC_VERSION}`,
  ca: `hyperledger/fabric-ca:${FABRIC_CA_VERSION}`,
  node: 'node:20-bookworm-slim',
} as const;

/** Bumped when what goes into an image changes, so an image of an earlier recipe is rebuilt. */
const RECIPE = 1;
const LABEL = 'org.regchain.source';

interface Recipe {
  readonly name: string;
  /** Files to copy: path inside the image → path here. */
  readonly files: ReadonlyArray<readonly [string, string]>;
  /** Executables whose shared libraries the image needs. */
  readonly dynamic: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string;
  /** What the digest covers beyond the files' contents. */
  readonly source: string;
}

function recipes(fabric: FabricInstall): Recipe[] {
  const bin = (b: string): string => path.join(fabric.binDir, b);
  const builder = (b: string): readonly [string, string] => [`/opt/hyperledger/ccaas_builder/bin/${b}`, path.join(fabric.ccaasBuilder, 'bin', b)];
  const fabricArchive = ARCHIVES[0]?.sha256 ?? '';
  const caArchive = ARCHIVES[1]?.sha256 ?? '';
  const fabricEnv = { FABRIC_CFG_PATH: '/etc/hyperledger/fabric' };
  const node = process.execPath;
  return [
    {
      name: IMAGES.peer,
      files: [
        ['/usr/local/bin/peer', bin('peer')],
        ['/etc/hyperledger/fabric/core.yaml', path.join(fabric.sampleConfig, 'core.yaml')],
        builder('build'),
        builder('detect'),
        builder('release'),
      ],
      dynamic: [],
      env: fabricEnv,
      workdir: '/var/hyperledger/production',
      source: fabricArchive,
    },
    {
      name: IMAGES.orderer,
      files: [
        ['/usr/local/bin/orderer', bin('orderer')],
        ['/etc/hyperledger/fabric/orderer.yaml', path.join(fabric.sampleConfig, 'orderer.yaml')],
        ['/etc/hyperledger/fabric/configtx.yaml', path.join(fabric.sampleConfig, 'configtx.yaml')],
      ],
      dynamic: [],
      env: fabricEnv,
      workdir: '/var/hyperledger/production/orderer',
      source: fabricArchive,
    },
    {
      name: IMAGES.ca,
      files: [
        ['/usr/local/bin/fabric-ca-server', bin('fabric-ca-server')],
        ['/usr/local/bin/fabric-ca-client', bin('fabric-ca-client')],
      ],
      dynamic: [bin('fabric-ca-server'), bin('fabric-ca-client')],
      env: { FABRIC_CA_HOME: '/etc/hyperledger/fabric-ca-server' },
      workdir: '/etc/hyperledger/fabric-ca-server',
      source: caArchive,
    },
    {
      name: IMAGES.node,
      files: [['/usr/local/bin/node', node]],
      dynamic: [node],
      env: {},
      workdir: '/',
      source: process.version,
    },
  ];
}

/** The shared libraries (and the loader) an executable links, as `ldd` lists them. */
async function librariesOf(executable: string): Promise<string[]> {
  const { stdout } = await exec('ldd', [executable]);
  const libs = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs].sort();
}

function digestOf(recipe: Recipe, files: ReadonlyArray<readonly [string, string]>): string {
  const h = createHash('sha256').update(`${RECIPE}\n${recipe.name}\n${recipe.source}\n${JSON.stringify(recipe.env)}\n`);
  for (const [inside, here] of files) h.update(`${inside}\n`).update(fs.readFileSync(here));
  return h.digest('hex');
}

async function labelOf(env: Record<string, string>, image: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('docker', ['image', 'inspect', '--format', `{{ index .Config.Labels "${LABEL}" }}`, image], {
      env: { ...process.env, ...env },
    });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Builds one image unless an image of that name holds the same digest; answers whether it built. */
async function buildImage(recipe: Recipe, env: Record<string, string>): Promise<boolean> {
  const libs = (await Promise.all(recipe.dynamic.map(librariesOf))).flat();
  const files: (readonly [string, string])[] = [...recipe.files, ...[...new Set(libs)].map((l): [string, string] => [l, fs.realpathSync(l)])];
  const digest = digestOf(recipe, files);
  if ((await labelOf(env, recipe.name)) === digest) return false;
  const context = fs.mkdtempSync(path.join(path.dirname(cacheDir()), 'image-'));
  try {
    for (const [inside, here] of files) {
      const target = path.join(context, 'rootfs', inside);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(here, target);
      fs.chmodSync(target, fs.statSync(here).mode & 0o777);
    }
    for (const dir of ['tmp', recipe.workdir.slice(1)]) if (dir) fs.mkdirSync(path.join(context, 'rootfs', dir), { recursive: true, mode: 0o1777 });
    const dockerfile = [
      'FROM scratch',
      'COPY rootfs/ /',
      ...Object.entries({ PATH: '/usr/local/bin', ...recipe.env }).map(([k, v]) => `ENV ${k}=${v}`),
      `WORKDIR ${recipe.workdir}`,
      `LABEL ${LABEL}=${digest} org.regchain.built-from="${recipe.source}"`,
    ].join('\n');
    fs.writeFileSync(path.join(context, 'Dockerfile'), `${dockerfile}\n`);
    await exec('docker', ['build', '--quiet', '--tag', recipe.name, context], { env: { ...process.env, ...env, DOCKER_BUILDKIT: '0' }, timeout: 600_000 });
    return true;
  } catch (err) {
    throw new NetworkError(`building ${recipe.name} failed: ${(err as Error).message}`);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

/**
 * What `up --docker` needs: an image of each name. One already there is used (pulled from Docker Hub, or ours
 * if its digest still matches); a missing one is pulled, and built here when the pull fails (no registry) or
 * when `pull` is false (the test suite, which downloads nothing).
 */
export async function ensureImages(fabric: FabricInstall, env: Record<string, string>, options: { pull?: boolean } = {}): Promise<void> {
  const withEnv = { env: { ...process.env, ...env }, timeout: 120_000 };
  for (const recipe of recipes(fabric)) {
    const label = await labelOf(env, recipe.name);
    // '' is an image without our label: the official one, pulled.
    if (label === '') continue;
    if (label === undefined && options.pull !== false) {
      try {
        await exec('docker', ['pull', '--quiet', recipe.name], withEnv);
        log.done(`pulled ${recipe.name}`);
        continue;
      } catch {
        log.step(`${recipe.name} cannot be pulled here: building it from the pinned release archives`);
      }
    }
    if (await buildImage(recipe, env)) log.done(`built ${recipe.name}`);
  }
}

/** Builds the images docker-compose.yaml names that are missing or out of date; answers what it built. */
export async function buildImages(fabric: FabricInstall, env: Record<string, string>): Promise<{ built: string[]; reused: string[] }> {
  const built: string[] = [];
  const reused: string[] = [];
  for (const recipe of recipes(fabric)) {
    if (await buildImage(recipe, env)) {
      built.push(recipe.name);
      log.done(`built ${recipe.name}`);
    } else reused.push(recipe.name);
  }
  return { built, reused };
}
