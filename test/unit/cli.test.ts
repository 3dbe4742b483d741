// Every command line tool refuses a flag it does not know, naming it, in one line, not a stack: a typo such
// as --purg must not run the command without the flag.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

describe.each([
  ['npm run network', ['network/src/cli.ts', 'down', '--purg']],
  ['npm run gateway:admin', ['gateway/src/admin/cli.ts', 'revoke-caller', '--name', 'x', '--forever']],
  ['npm run detect', ['monitor/src/detect.ts', 'transfers.csv', '--out', 'x.json', '--labelz', 'l.csv']],
  ['npm run audit:verify', ['gateway/src/audit/cli.ts', 'bundle.json', '--trusting']],
  ['npm run bench:index', ['monitor/src/bench-index.ts', '--transfer', '5']],
])('%s', (_name, args) => {
  it('refuses an unknown flag, naming it, and stops', async () => {
    const flag = args.find((a) => a.startsWith('--') && !['--name', '--out'].includes(a)) as string;
    const failed = await run(TSX, args, { cwd: ROOT, env: { ...process.env, REGCHAIN_HOME: path.join(ROOT, '.regchain-cli-test') } }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain(`Unknown option '${flag}'`);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
