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
  readonly ratio: number;
}

export async function runScriptsBench(options: { requests?: number; rounds?: number } = {}): Promise<ScriptsBenchRow[]> {
  const count = options.requests ?? 1000;
  const rounds = options.rounds ?? 3;
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
    const withoutMs = median(times.get(`${name}/without`)!);
    const withMs = median(times.get(`${name}/with`)!);
    return { contestant: name, withoutMs, withMs, ratio: withMs / withoutMs };
  });
}

if (require.main === module) {
  runScriptsBench().then((rows) => console.table(rows.map((r) => ({ ...r, withoutMs: Math.round(r.withoutMs), withMs: Math.round(r.withMs), ratio: r.ratio.toFixed(2) }))));
}
