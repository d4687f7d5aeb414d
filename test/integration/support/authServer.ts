// Starts the real Spring Authorization Server fixture (test/fixtures/spring-auth-server, Boot 4.0.7)
// on a free loopback port; its clients and user are registered in its application.properties.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring-auth-server/', import.meta.url));

/** The user of the login page (spring.security.user.* in application.properties). */
export const authServerUser = { name: 'alice', password: 'alice-pw-4c8e1b7f' };

/** Signs in on Spring Security's default login page, where the authorization server sends the browser. */
export async function signInOnLoginPage(page: Page): Promise<void> {
  await page.locator('input[name="username"]').fill(authServerUser.name);
  await page.locator('input[name="password"]').fill(authServerUser.password);
  await page.locator('button[type="submit"]').click();
}

/** Approves every scope on the authorization server's consent page (Authorization Code, device verification). */
export async function consentOnPage(page: Page): Promise<void> {
  await page.locator('#submit-consent').waitFor();
  for (const scope of await page.locator('input[name="scope"]').all()) await scope.check();
  await page.locator('#submit-consent').click();
}

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
