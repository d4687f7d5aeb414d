// Starts the real Spring Authorization Server fixture (test/fixtures/spring-auth-server, Boot 4.0.7)
// on a free loopback port; its clients and user are registered in its application.properties.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring-auth-server/', import.meta.url));

export interface AuthServer {
  /** `http://127.0.0.1:PORT`, the issuer in its tokens. */
  readonly issuer: string;
  stop(): Promise<void>;
}

export async function startAuthServer(): Promise<AuthServer> {
  await promisify(execFile)('bash', [join(fixtureDir, 'build.sh')]);
  const classpath = (await readFile(join(fixtureDir, 'build/classpath'), 'utf8')).trim();
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx160m', '-cp', classpath, 'authserver.AuthServer'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await Promise.race([
    new Promise<number>((resolve) =>
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /^LISTENING (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      }),
    ),
    once(child, 'exit').then(() => Promise.reject(new Error('the authorization server exited before listening'))),
  ]);
  return {
    issuer: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
