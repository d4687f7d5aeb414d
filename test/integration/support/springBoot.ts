// Starts the real Spring Boot test app (test/fixtures/spring-boot) on Boot 3.5 or 4.0 with one
// security profile, for integration tests; mints the HS256 tokens its resource-server profile accepts.
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring-boot/', import.meta.url));

export type BootVersion = '3.5' | '4.0';
export type SpringProfile = 'classic' | 'spa-xor' | 'spa' | 'spring-session' | 'remember-me' | 'problem-details' | 'resource-server';

export const bootVersions: readonly BootVersion[] = ['3.5', '4.0'];
export const springProfiles: readonly SpringProfile[] = [
  'classic', 'spa-xor', 'spa', 'spring-session', 'remember-me', 'problem-details', 'resource-server',
];
/** The app's default `jwt.secret` (32+ bytes, as HS256 requires). */
export const defaultJwtSecret = 'http-session-tests-jwt-secret-0123456789';
/** The audience the resource-server profile requires in `aud`. */
export const jwtAudience = 'http-session-tests';

const buildDirs: Record<BootVersion, string> = { '3.5': 'boot3', '4.0': 'boot4' };

export interface SpringBootApp {
  /** `http://127.0.0.1:PORT`; a plain Tomcat context with its own sessions is at `${baseUrl}/app`. */
  readonly baseUrl: string;
  readonly boot: BootVersion;
  readonly profile: SpringProfile;
  /** Milliseconds from spawning java to the LISTENING line. */
  readonly startMs: number;
  /** The HS256 secret the app verifies bearer tokens with. */
  readonly jwtSecret: string;
  stop(): Promise<void>;
}

export interface SpringBootAppOptions {
  readonly boot: BootVersion;
  readonly profile: SpringProfile;
  /** Port to listen on (127.0.0.1); default 0, a free one. */
  readonly port?: number;
  /** Idle timeout of every session (Tomcat's and Spring Session's); default 3 s. */
  readonly sessionTimeoutSeconds?: number;
  /** More Spring properties, passed as `--name=value` arguments (the highest precedence). */
  readonly extraProperties?: Readonly<Record<string, string>>;
}

// One build per process: Maven takes seconds even when nothing changed, build.sh's stamp is cheap
// but its flock serialises parallel test files, so memoise the promise.
let build: Promise<void> | undefined;

/** Runs build.sh (both Boot versions) once per process; resolves when both are built. */
export function buildSpringBootApp(): Promise<void> {
  build ??= promisify(execFile)('bash', [`${fixtureDir}build.sh`], { maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => {
      if (stdout.trim()) process.stderr.write(`spring-boot fixture: ${stdout.trim().replace(/\n/g, ', ')}\n`);
    },
    (error: unknown) => {
      build = undefined;
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`test/fixtures/spring-boot/build.sh failed:\n${stderr}`, { cause: error });
    },
  );
  return build;
}

/** Builds the app if needed, starts it on a free loopback port and resolves once it listens. */
export async function startSpringBootApp(options: SpringBootAppOptions): Promise<SpringBootApp> {
  await buildSpringBootApp();
  const { boot, profile } = options;
  const classpath = (await readFile(`${fixtureDir}build/${buildDirs[boot]}/classpath`, 'utf8')).trim();
  const jwtSecret = options.extraProperties?.['jwt.secret'] ?? defaultJwtSecret;

  const started = performance.now();
  const child = spawn(
    'java',
    [
      // Start-up over peak speed: C1 only, the smallest GC, a heap big enough for Boot 4 + H2.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx160m',
      `-Dsession.timeoutSeconds=${options.sessionTimeoutSeconds ?? 3}`,
      '-cp',
      classpath,
      'bootapp.BootApp',
      `--spring.profiles.active=${profile}`,
      `--server.port=${options.port ?? 0}`,
      '--server.address=127.0.0.1',
      `--jwt.secret=${jwtSecret}`,
      ...Object.entries(options.extraProperties ?? {}).map(([name, value]) => `--${name}=${value}`),
    ],
    { cwd: fixtureDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit');

  const port = await new Promise<number>((resolve, reject) => {
    // Boot logs to stdout (WARN and above): keep it for the error message, find our line.
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      else output += `${line}\n`;
    });
    child.on('error', reject);
    exited.then(
      ([code, signal]) => reject(new Error(`Spring Boot ${boot} app (${profile}) exited (${signal ?? code}) before listening:\n${output}`)),
      reject,
    );
  });
  const startMs = Math.round(performance.now() - started);

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    boot,
    profile,
    startMs,
    jwtSecret,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * An HS256 JWT over `claims`, as the resource-server profile verifies them. Give `exp`, `aud` etc.
 * yourself: nothing is added. The header is `{"alg":"HS256","typ":"JWT"}` plus `header`.
 */
export function mintJwt(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header }))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
