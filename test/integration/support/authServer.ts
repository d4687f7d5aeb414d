// The real Spring Authorization Server of test/fixtures/spring-auth-server (Boot 4.0.7), built when its
// sources changed and started on a free loopback port.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring-auth-server/', import.meta.url));

/** The confidential client registered in the fixture's application.properties. */
export const authServerClient = { id: 'api-client', secret: 'api-secret-5d1c9e7a4b' } as const;

export interface AuthServer {
  /** `http://127.0.0.1:PORT`: the issuer, and the base of `/oauth2/token`. */
  readonly issuer: string;
  stop(): Promise<void>;
}

/** Builds (when needed) and starts the server; `properties` override application.properties (e.g. a token lifetime). */
export async function startAuthServer(properties: Readonly<Record<string, string>> = {}): Promise<AuthServer> {
  await promisify(execFile)('bash', [join(fixtureDir, 'build.sh')]);
  const classpath = (await readFile(join(fixtureDir, 'build/classpath'), 'utf8')).trim();
  const flags = Object.entries(properties).map(([name, value]) => `-D${name}=${value}`);
  const server = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx160m', ...flags, '-cp', classpath, 'authserver.AuthServer'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(server, 'exit');
  const port = await Promise.race([
    new Promise<number>((resolve) =>
      createInterface({ input: server.stdout }).on('line', (line) => {
        const match = /^LISTENING (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      }),
    ),
    exited.then(() => Promise.reject(new Error('the authorization server exited before listening'))),
  ]);
  return {
    issuer: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (server.exitCode !== null) return;
      server.kill('SIGTERM');
      await exited;
    },
  };
}
