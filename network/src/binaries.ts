// Finds or installs the pinned Fabric and fabric-ca binaries: FABRIC_BIN, cache, archive folder, download.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { cacheDir, REPO_ROOT, shared } from './paths';
import { FABRIC_CA_VERSION, FABRIC_VERSION } from './topology';
import { log, NetworkError } from './log';

export interface FabricInstall {
  /** Folder holding peer, orderer, configtxgen, osnadmin, cryptogen, fabric-ca-server, fabric-ca-client. */
  readonly binDir: string;
  /** The chaincode-as-a-service builder: the folder that contains bin/{detect,build,release}. */
  readonly ccaasBuilder: string;
  /** Fabric's sample core.yaml, orderer.yaml and configtx.yaml. */
  readonly sampleConfig: string;
  readonly source: 'FABRIC_BIN' | 'cache' | 'archive' | 'download';
}

interface Archive {
  readonly file: string;
  readonly url: string;
  /** SHA-256 of the archive as pinned by this project. */
  readonly sha256: string;
}

const PLATFORM = 'linux-amd64';

/** The pinned archives. Their digests are those of the release-layout archives the project verified. */
export const ARCHIVES: readonly Archive[] = [
  {
    file: `hyperledger-fabric-${PLATFORM}-${FABRIC_VERSION}.tar.gz`,
    url: `https://github.com/hyperledger/fabric/releases/download/v${FABRIC_VERSION}/hyperledger-fabric-${PLATFORM}-${FABRIC_VERSION}.tar.gz`,
    sha256: '0be40cd68c7de018ae953f904f5f6a827ebdbb9bb84e7e51ab24ff06ce29efc0',
  },
  {
    file: `hyperledger-fabric-ca-${PLATFORM}-${FABRIC_CA_VERSION}.tar.gz`,
    url: `https://github.com/hyperledger/fabric-ca/releases/download/v${FABRIC_CA_VERSION}/hyperledger-fabric-ca-${PLATFORM}-${FABRIC_CA_VERSION}.tar.gz`,
    sha256: '3f67933297e1d3745c05d5da366672a4334a014d8f314bd7690f5b50d925d0f8',
  },
];

export const REQUIRED_BINARIES = ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'cryptogen', 'fabric-ca-server', 'fabric-ca-client'] as const;

const MARKER = '.installed.json';

function layoutOf(root: string, source: FabricInstall['source']): FabricInstall {
  return {
    binDir: path.join(root, 'bin'),
    ccaasBuilder: path.join(root, 'builders', 'ccaas'),
    sampleConfig: path.join(root, 'config'),
    source,
  };
}

function missingParts(install: FabricInstall): string[] {
  const wanted = [
    ...REQUIRED_BINARIES.map((b) => path.join(install.binDir, b)),
    ...['detect', 'build', 'release'].map((b) => path.join(install.ccaasBuilder, 'bin', b)),
    ...['core.yaml', 'orderer.yaml', 'configtx.yaml'].map((f) => path.join(install.sampleConfig, f)),
  ];
  return wanted.filter((p) => !fs.existsSync(p));
}

function versionOf(binary: string): string {
  const out = execFileSync(binary, ['version'], { encoding: 'utf8' });
  const match = /Version:\s*v?([0-9][^\s]*)/.exec(out);
  return match?.[1] ?? 'unknown';
}

function checkVersions(install: FabricInstall): void {
  const peer = versionOf(path.join(install.binDir, 'peer'));
  const ca = versionOf(path.join(install.binDir, 'fabric-ca-server'));
  if (peer !== FABRIC_VERSION || ca !== FABRIC_CA_VERSION) {
    throw new NetworkError(
      `Fabric binaries in ${install.binDir} are peer ${peer} / fabric-ca ${ca}; regchain is pinned to ` +
        `${FABRIC_VERSION} / ${FABRIC_CA_VERSION}. Point FABRIC_BIN at the pinned release or unset it.`,
    );
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Reads a SHA256SUMS file ("<hex>  <name>" per line) into a map. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m?.[1] && m[2]) sums.set(m[2], m[1]);
  }
  return sums;
}

/** The single verify-and-extract step every install path ends in. */
export async function verifyAndExtract(archivePath: string, expectedSha256: string, into: string): Promise<void> {
  const actual = await sha256File(archivePath);
  if (actual !== expectedSha256) {
    throw new NetworkError(
      `digest mismatch for ${path.basename(archivePath)}: got ${actual}, expected ${expectedSha256}. ` +
        'The archive is corrupt or not the pinned release; delete it and fetch it again.',
    );
  }
  fs.mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', archivePath, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function download(url: string, to: string): Promise<void> {
  const res = await fetch(url).catch((err: unknown) => {
    throw new NetworkError(`cannot download ${url}: ${(err as Error).message}. Set FABRIC_DIST to a folder holding the archives.`);
  });
  if (!res.ok || !res.body) throw new NetworkError(`download of ${url} answered HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), fs.createWriteStream(to));
}

function distDir(): string | undefined {
  const explicit = process.env.FABRIC_DIST;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new NetworkError(`FABRIC_DIST=${explicit} does not exist`);
    return path.resolve(explicit);
  }
  const sibling = path.resolve(REPO_ROOT, '..', 'shared', 'fabric-dist');
  return fs.existsSync(sibling) ? sibling : undefined;
}

/** Installs into the cache from the archive folder or the release download, atomically. */
async function installIntoCache(target: string): Promise<FabricInstall['source']> {
  const dist = distDir();
  const staging = `${target}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  let source: FabricInstall['source'];
  try {
    if (dist) {
      source = 'archive';
      const sumsFile = path.join(dist, 'SHA256SUMS');
      const listed = fs.existsSync(sumsFile) ? parseSums(fs.readFileSync(sumsFile, 'utf8')) : new Map<string, string>();
      for (const archive of ARCHIVES) {
        const file = path.join(dist, archive.file);
        if (!fs.existsSync(file)) throw new NetworkError(`${archive.file} is missing from ${dist}`);
        const folderDigest = listed.get(archive.file);
        if (folderDigest && folderDigest !== archive.sha256) {
          throw new NetworkError(`${sumsFile} lists ${folderDigest} for ${archive.file} but regchain pins ${archive.sha256}; use the pinned release.`);
        }
        log.step(`verifying and extracting ${archive.file} from ${dist}`);
        await verifyAndExtract(file, archive.sha256, staging);
      }
    } else {
      source = 'download';
      for (const archive of ARCHIVES) {
        const file = path.join(staging, archive.file);
        log.step(`downloading ${archive.url}`);
        await download(archive.url, file);
        await verifyAndExtract(file, archive.sha256, staging);
        fs.rmSync(file);
      }
    }
    const staged = layoutOf(staging, source);
    const missing = missingParts(staged);
    if (missing.length > 0) throw new NetworkError(`the archives lack ${missing.map((m) => path.relative(staging, m)).join(', ')}`);
    checkVersions(staged);
    fs.writeFileSync(path.join(staging, MARKER), JSON.stringify({ fabric: FABRIC_VERSION, ca: FABRIC_CA_VERSION, source, archives: ARCHIVES }, null, 2));
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    return source;
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Fails naming the first command-line tool the network scripts need that is not on PATH. */
export function assertTools(tools: readonly string[] = ['tar', 'gzip']): void {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const tool of tools) {
    const found = dirs.some((d) => {
      try {
        fs.accessSync(path.join(d, tool), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) throw new NetworkError(`${tool} is not installed (not on PATH); install it (e.g. \`apt-get install ${tool}\`) and run the command again`);
  }
}

/** Returns the pinned binaries, installing them into the cache when nothing better is at hand. */
export async function ensureFabric(): Promise<FabricInstall> {
  assertTools();
  const fromEnv = process.env.FABRIC_BIN;
  if (fromEnv) {
    const install = { ...layoutOf(path.resolve(fromEnv, '..'), 'FABRIC_BIN'), binDir: path.resolve(fromEnv) } as const;
    const missing = missingParts(install);
    if (missing.length > 0) {
      throw new NetworkError(`FABRIC_BIN=${fromEnv} lacks ${missing.join(', ')} (expected the release layout: bin/, builders/, config/)`);
    }
    checkVersions(install);
    return install;
  }
  const cache = cacheDir();
  const cached = layoutOf(cache, 'cache');
  if (fs.existsSync(path.join(cache, MARKER)) && missingParts(cached).length === 0) return cached;

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new NetworkError(
      `no pinned Fabric archive for ${process.platform}/${process.arch}; set FABRIC_BIN to a Fabric ${FABRIC_VERSION} release bin/ folder`,
    );
  }
  const started = Date.now();
  log.step(`installing Fabric ${FABRIC_VERSION} and fabric-ca ${FABRIC_CA_VERSION} into ${cache}`);
  const source = await installIntoCache(cache);
  log.done(`Fabric binaries installed from ${source} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...layoutOf(cache, 'cache'), source };
}

/** `<state>/bin` points at the binaries in use, for tools outside the network scripts (the gateway's admin command). */
export function linkBinaries(fabric: FabricInstall): void {
  const link = shared.bin;
  try {
    if (fs.readlinkSync(link) === fabric.binDir) return;
    fs.rmSync(link, { force: true });
  } catch {
    // no link yet
  }
  fs.mkdirSync(path.dirname(link), { recursive: true, mode: 0o700 });
  fs.symlinkSync(fabric.binDir, link);
}
