// The installer: every path ends in verify-and-extract; a wrong digest stops; a cold cache installs from the archives.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ARCHIVES, assertTools, ensureFabric, parseSums, sha256File, verifyAndExtract } from './binaries';
import { NetworkError } from './log';
import { REPO_ROOT } from './paths';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-bin-'));
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

function makeArchive(dir: string): string {
  fs.mkdirSync(path.join(dir, 'src', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'bin', 'tool'), 'binary');
  const archive = path.join(dir, 'a.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', path.join(dir, 'src'), 'bin']);
  return archive;
}

describe('verifyAndExtract', () => {
  it('extracts an archive whose digest matches', async () => {
    const dir = tmp();
    const archive = makeArchive(dir);
    await verifyAndExtract(archive, await sha256File(archive), path.join(dir, 'out'));
    expect(fs.readFileSync(path.join(dir, 'out', 'bin', 'tool'), 'utf8')).toBe('binary');
  });

  it('stops on a digest mismatch, naming the archive, and extracts nothing', async () => {
    const dir = tmp();
    const archive = makeArchive(dir);
    const wrong = '0'.repeat(64);
    await expect(verifyAndExtract(archive, wrong, path.join(dir, 'out'))).rejects.toThrow(/digest mismatch for a\.tar\.gz/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('parseSums', () => {
  it('reads sha256sum output, with and without the binary marker', () => {
    const sums = parseSums(`${'a'.repeat(64)}  one.tar.gz\n${'b'.repeat(64)} *two.tar.gz\nnoise\n`);
    expect(sums.get('one.tar.gz')).toBe('a'.repeat(64));
    expect(sums.get('two.tar.gz')).toBe('b'.repeat(64));
    expect(sums.size).toBe(2);
  });
});

const dist = process.env.FABRIC_DIST ?? path.resolve(REPO_ROOT, '..', 'shared', 'fabric-dist');

describe('assertTools', () => {
  it('names a missing tool and how to get it', () => {
    process.env.PATH = '/nonexistent';
    expect(() => assertTools(['tar'])).toThrow(/tar is not installed .*apt-get install tar/);
  });

  it('passes when the tools are on PATH', () => {
    expect(() => assertTools(['tar', 'gzip'])).not.toThrow();
  });
});

describe('ensureFabric', () => {
  it('installs the pinned release from the archive folder into an empty cache, then reuses the cache', async () => {
    const cache = tmp();
    process.env.XDG_CACHE_HOME = cache;
    process.env.FABRIC_DIST = dist;
    delete process.env.FABRIC_BIN;
    const first = await ensureFabric();
    expect(first.source).toBe('archive');
    expect(execFileSync(path.join(first.binDir, 'peer'), ['version'], { encoding: 'utf8' })).toContain('Version: 3.1.5');
    expect(fs.existsSync(path.join(first.ccaasBuilder, 'bin', 'release'))).toBe(true);
    const second = await ensureFabric();
    expect(second.source).toBe('cache');
    expect(second.binDir).toBe(first.binDir);
    fs.rmSync(cache, { recursive: true, force: true });
  }, 60_000);

  it('refuses an archive folder whose archive does not match the pinned digest', async () => {
    const folder = tmp();
    const [fabricArchive, caArchive] = ARCHIVES;
    fs.writeFileSync(path.join(folder, fabricArchive?.file ?? ''), 'not the release');
    fs.copyFileSync(path.join(dist, caArchive?.file ?? ''), path.join(folder, caArchive?.file ?? ''));
    process.env.XDG_CACHE_HOME = tmp();
    process.env.FABRIC_DIST = folder;
    delete process.env.FABRIC_BIN;
    await expect(ensureFabric()).rejects.toThrow(/digest mismatch/);
    expect(fs.readdirSync(path.join(process.env.XDG_CACHE_HOME, 'regchain'))).toEqual([]);
  });

  it('names what FABRIC_BIN lacks', async () => {
    const bin = path.join(tmp(), 'bin');
    fs.mkdirSync(bin);
    process.env.FABRIC_BIN = bin;
    const err = await ensureFabric().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/FABRIC_BIN=.* lacks .*peer/);
  });
});
