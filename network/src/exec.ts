// Runs a Fabric command-line tool and turns a failure into an error that shows what it printed.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { NetworkError } from './log';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        env: options.env ?? (process.env as Record<string, string>),
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) {
          const output = `${stderr}${stdout}`.trim().split('\n').slice(-12).join('\n');
          reject(new NetworkError(`${path.basename(command)} ${args.slice(0, 3).join(' ')} failed: ${output || err.message}`));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}
