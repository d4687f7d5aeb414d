// 1 login + N GETs against a loopback server, each contestant as a whole process, run alternately:
// our CLI, a plain undici + tough-cookie loop, httpyac (`send --all`) and python requests.Session.
// Prints medians, ratios to the undici loop, and connections opened per run.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '..');
export const HTTPYAC_VERSION = '6.16.7';

interface Counts {
  connections: number;
  authenticated: number;
}

/** A server that behaves like a session-keeping app: POST /login sets JSESSIONID, /data/* needs it. */
export function startBenchServer(): Promise<{ url: string; server: Server; take(): Counts }> {
  const sessions = new Set<string>();
  let counts: Counts = { connections: 0, authenticated: 0 };
  const server = createServer((req, res) => {
    const cookie = /JSESSIONID=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/login') {
        const id = randomUUID();
        sessions.add(id);
        res.writeHead(200, { 'set-cookie': `JSESSIONID=${id}; Path=/; HttpOnly`, 'content-type': 'application/json' });
        res.end('{"ok":true}');
      } else if (cookie && sessions.has(cookie)) {
        counts.authenticated++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path: req.url, items: [1, 2, 3] }));
      } else {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"status":401}');
      }
    });
  });
  server.on('connection', () => counts.connections++);
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      done({
        url: `http://127.0.0.1:${port}`,
        server,
        take: () => {
          const taken = counts;
          counts = { connections: 0, authenticated: 0 };
          return taken;
        },
      });
    }),
  );
}

/** The JetBrains response handler the scripts bench gives every GET. */
export const benchHandler = '> {% client.test("ok", () => client.assert(response.status === 200, "status " + response.status)); %}';

/**
 * Bare `###` separators, or titled ones (`### data 7`) as users write them: httpyac slows down sharply with titles.
 * `handler`: each GET gets `benchHandler`.
 */
export function writeRequestFile(dir: string, base: string, count: number, titled: boolean, handler = false): string {
  const lines = [`@host = ${base}`, '', 'POST {{host}}/login', 'Content-Type: application/x-www-form-urlencoded', '', 'username=user&password=password', ''];
  for (let i = 0; i < count; i++) lines.push(titled ? `### data ${i}` : '###', `GET {{host}}/data/${i}`, '', ...(handler ? [benchHandler, ''] : []));
  const file = join(dir, `bench${titled ? '-titled' : ''}${handler ? '-handlers' : ''}.http`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Installs httpyac into the cache folder once; undefined when it cannot be had. */
export function httpyacBinary(): string | undefined {
  const cache = process.env.HTTP_SESSION_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'http-session');
  const prefix = join(cache, 'peers');
  const bin = join(prefix, 'node_modules', 'httpyac', 'bin', 'httpyac.js');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `httpyac@${HTTPYAC_VERSION}`], {
      stdio: 'inherit',
      // Under `npm run bench` the outer npm's npm_config_* settings would become this install's own.
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
    });
    if (install.status !== 0) return undefined;
  }
  return bin;
}

interface Contestant {
  name: string;
  command: string;
  args: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the comparison and returns one row per contestant. */
export async function runSessionBench(
  options: { requests?: number; rounds?: number; titled?: boolean } = {},
): Promise<{ name: string; medianMs: number; ratio: number; connections: number; authenticated: number }[]> {
  const count = options.requests ?? 1000;
  const titled = options.titled ?? false;
  const rounds = options.rounds ?? 3;
  execFileSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'ignore' });
  const workDir = join(repo, '.bench');
  mkdirSync(workDir, { recursive: true });
  const { url, server, take } = await startBenchServer();
  const file = writeRequestFile(workDir, url, count, titled);
  const contestants: Contestant[] = [
    { name: 'http-session CLI', command: process.execPath, args: [join(repo, 'dist', 'cli.js'), 'run', file, '--session', join(workDir, `session-${process.pid}.json`)] },
    { name: 'undici + tough-cookie loop', command: process.execPath, args: [join(__dirname, 'peers', 'undiciLoop.mjs'), url, String(count)] },
    { name: 'python requests.Session', command: 'python3', args: [join(__dirname, 'peers', 'requestsSession.py'), url, String(count)] },
  ];
  const httpyac = httpyacBinary();
  if (httpyac) contestants.push({ name: `httpyac ${HTTPYAC_VERSION}`, command: process.execPath, args: [httpyac, 'send', file, '--all'] });

  const times = new Map<string, number[]>(contestants.map((c) => [c.name, []]));
  const counts = new Map<string, Counts>();
  // The child processes talk to this process's server: run them without blocking its event loop.
  const { spawn } = await import('node:child_process');
  for (let round = 0; round < rounds; round++) {
    for (const contestant of contestants) {
      const started = performance.now();
      const status = await new Promise<number | null>((done) => {
        const child = spawn(contestant.command, contestant.args, { cwd: workDir, stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('exit', (code) => done(code));
      });
      const elapsed = performance.now() - started;
      const taken = take();
      if (status !== 0) throw new Error(`${contestant.name} exited with ${status}`);
      times.get(contestant.name)!.push(elapsed);
      counts.set(contestant.name, taken);
    }
  }
  server.close();
  const baseline = median(times.get('undici + tough-cookie loop')!);
  return contestants.map((c) => {
    const medianMs = median(times.get(c.name)!);
    return { name: c.name, medianMs, ratio: medianMs / baseline, ...counts.get(c.name)! };
  });
}

if (require.main === module) {
  runSessionBench({ titled: process.argv.includes('--titled') }).then((rows) => console.table(rows.map((r) => ({ ...r, medianMs: Math.round(r.medianMs), ratio: r.ratio.toFixed(2) }))));
}
