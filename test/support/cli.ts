// `http-session` as a whole process: node dist/cli.js (build it first), its exit code and output.
import { execFile, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './codeServer';

export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in `cwd` and resolves with what it printed, whatever its exit code. */
export async function runCli(cwd: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export interface RunningCli {
  /** The first stderr line that matches: where the CLI waits for a person (a sign-in URL). Rejects if the CLI exits first. */
  readonly line: (pattern: RegExp) => Promise<RegExpExecArray>;
  /** The whole run, once the CLI has exited. */
  readonly done: Promise<CliRun>;
  /** Ctrl+C: sends SIGINT. */
  interrupt(): void;
}

/** Starts the CLI in `cwd` without waiting for it, for runs that wait for something the test does. */
export function startCli(cwd: string, ...args: string[]): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd });
  let stdout = '';
  let stderr = '';
  const lines = new EventEmitter();
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  createInterface({ input: child.stderr }).on('line', (text) => {
    stderr += `${text}\n`;
    lines.emit('line', text);
  });
  const done = once(child, 'close').then(([code]) => ({ code: code as number, stdout, stderr }));
  const line = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const seen = stderr.split('\n').map((text) => pattern.exec(text)).find((match) => match !== null);
      if (seen) return resolve(seen);
      lines.on('line', (text: string) => {
        const match = pattern.exec(text);
        if (match) resolve(match);
      });
      void done.then((run) => reject(new Error(`the CLI exited (${run.code}) before printing ${pattern}:\n${run.stderr}`)));
    });
  return { line, done, interrupt: () => child.kill('SIGINT') };
}
