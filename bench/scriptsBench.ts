// `npm run bench -- scripts`: what running a JetBrains handler per request costs. 1 login + 1000 GETs
// against a loopback server, each GET with a `client.test` handler, as a whole CLI process, against the
// same run without handlers (goal: under 1.5x); httpyac runs the same two files beside it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HTTPYAC_VERSION, httpyacBinary, median, startBenchServer, writeRequestFile } from './sessionBench';

const repo = resolve(__dirname, '..');

export interface ScriptsBenchRow {
  readonly contestant: string;
  readonly withoutMs: number;
  readonly withMs: number;
  /** The median of the rounds' ratios: each round runs the two files one after the other, so a round shares the machine's state. */
  readonly ratio: number;
  /** The lowest and highest round's ratio: this 2-core machine moves single runs by ±20%. */
  readonly ratioRange: readonly [number, number];
}

export async function runScriptsBench(options: { requests?: number; rounds?: number } = {}): Promise<ScriptsBenchRow[]> {
  const count = options.requests ?? 1000;
  const rounds = options.rounds ?? 7;
  execFileSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'ignore' });
  const workDir = join(repo, '.bench');
  mkdirSync(workDir, { recursive: true });
  const { url, server, take } = await startBenchServer();
  const files = { without: writeRequestFile(workDir, url, count, false), with: writeRequestFile(workDir, url, count, false, true) };
  const contestants = [{ name: 'http-session CLI', command: process.execPath, args: (file: string) => [join(repo, 'dist', 'cli.js'), 'run', file] }];
  const httpyac = httpyacBinary();
  if (httpyac) contestants.push({ name: `httpyac ${HTTPYAC_VERSION}`, command: process.execPath, args: (file: string) => [httpyac, 'send', file, '--all'] });

  const times = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const contestant of contestants) {
      for (const [kind, file] of Object.entries(files)) {
        const started = performance.now();
        // Not execFileSync: the child talks to this process's server.
        const status = await new Promise<number | null>((done) => spawn(contestant.command, contestant.args(file), { cwd: workDir, stdio: 'ignore' }).on('exit', done));
        const elapsed = performance.now() - started;
        const { authenticated } = take();
        if (authenticated !== count) throw new Error(`${contestant.name} (${kind} handlers): ${authenticated} of ${count} GETs authenticated, exit ${status}`);
        const key = `${contestant.name}/${kind}`;
        times.set(key, [...(times.get(key) ?? []), elapsed]);
      }
    }
  }
  server.close();
  return contestants.map(({ name }) => {
    const without = times.get(`${name}/without`)!;
    const withHandlers = times.get(`${name}/with`)!;
    const ratios = withHandlers.map((ms, round) => ms / without[round]);
    return { contestant: name, withoutMs: median(without), withMs: median(withHandlers), ratio: median(ratios), ratioRange: [Math.min(...ratios), Math.max(...ratios)] };
  });
}

/** One row of the bench's table. */
export function describeScriptsRow(row: ScriptsBenchRow): Record<string, string | number> {
  const [low, high] = row.ratioRange;
  return { contestant: row.contestant, 'without ms': Math.round(row.withoutMs), 'with handlers ms': Math.round(row.withMs), ratio: `${row.ratio.toFixed(2)}x`, 'rounds from–to': `${low.toFixed(2)}–${high.toFixed(2)}` };
}

if (require.main === module) {
  runScriptsBench().then((rows) => console.table(rows.map(describeScriptsRow)));
}
