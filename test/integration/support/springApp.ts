// Starts the real Tomcat + Spring MVC test app (test/fixtures/spring) for integration tests.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring/', import.meta.url));

export interface SpringApp {
  /** `http://127.0.0.1:PORT`; the same app is also deployed under `${baseUrl}/app`. */
  readonly baseUrl: string;
  /** Milliseconds from spawning java to the LISTENING line. */
  readonly startMs: number;
  stop(): Promise<void>;
}

export interface SpringAppOptions {
  /** Idle timeout of every HTTP session; default 3 s. */
  readonly sessionTimeoutSeconds?: number;
  /** Default 0: any free port. */
  readonly port?: number;
}

/** Compiles the app if its sources changed, starts it on a free port and resolves once it listens. */
export async function startSpringApp(options: SpringAppOptions = {}): Promise<SpringApp> {
  const build = await promisify(execFile)('bash', [`${fixtureDir}build.sh`]);
  if (build.stdout.trim()) process.stderr.write(`spring fixture ${build.stdout.trim()}\n`);
  const classpath = (await readFile(`${fixtureDir}build/classpath`, 'utf8')).trim();

  const started = performance.now();
  const child = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx64m',
      `-Dsession.timeoutSeconds=${options.sessionTimeoutSeconds ?? 3}`,
      `-Dserver.port=${options.port ?? 0}`,
      '-cp',
      classpath,
      'springapp.Main',
    ],
    { cwd: fixtureDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');

  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.on('error', reject);
    exited.then(
      ([code, signal]) => reject(new Error(`Spring test app exited (${signal ?? code}) before listening:\n${stderr}`)),
      reject,
    );
  });
  const startMs = Math.round(performance.now() - started);

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    startMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
