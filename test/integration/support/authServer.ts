// Starts the real Spring Authorization Server fixture (test/fixtures/spring-auth-server, Boot 4.0.7)
// on a free loopback port; its clients and user are registered in its application.properties.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../support/browser';
import { buildExtension } from '../../support/build';
import { startSpringBootApp, type SpringBootApp } from './springBoot';

const fixtureDir = fileURLToPath(new URL('../../fixtures/spring-auth-server/', import.meta.url));

/** The confidential client for client credentials, registered in the fixture's application.properties. */
export const authServerClient = { id: 'api-client', secret: 'api-secret-5d1c9e7a4b' } as const;

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
  /** `http://ADDRESS:PORT`, the issuer in its tokens. */
  readonly issuer: string;
  stop(): Promise<void>;
}

/**
 * Builds (when its sources changed) and starts the server on `address` (127.0.0.1 unless told);
 * `properties` override application.properties (e.g. a token lifetime).
 */
export async function startAuthServer(options: { readonly address?: string; readonly properties?: Readonly<Record<string, string>> } = {}): Promise<AuthServer> {
  const address = options.address ?? '127.0.0.1';
  await promisify(execFile)('bash', [join(fixtureDir, 'build.sh')]);
  const classpath = (await readFile(join(fixtureDir, 'build/classpath'), 'utf8')).trim();
  const flags = Object.entries(options.properties ?? {}).map(([name, value]) => `-D${name}=${value}`);
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx160m', ...flags, '-cp', classpath, 'authserver.AuthServer', `--server.address=${address}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    issuer: `http://${address}:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The authorization server, a Spring resource server taking its JWTs, and a workspace for one auth configuration. */
export interface TokenSetup {
  readonly authServer: AuthServer;
  readonly resourceServer: SpringBootApp;
  /** Holds the env files (`dev`: `issuer`, `spring`, the configuration with its secret in the private file) and `NAME.http`. */
  readonly dir: string;
  close(): Promise<void>;
}

/** A token setup and Chromium, for the grants where the user signs in. */
export interface SignInSetup extends TokenSetup {
  readonly browser: Browser;
}

/**
 * Starts everything a grant's test needs: configuration `name` of client `clientId` (SAS puts the
 * client id in `aud`, which the resource server checks), and `NAME.http`, which calls the resource server
 * `calls` times with the configuration's token. Builds the CLI too.
 */
export async function startTokenSetup(name: string, auth: Readonly<Record<string, unknown>>, clientSecret: string, calls: number): Promise<TokenSetup> {
  const [authServer] = await Promise.all([startAuthServer(), buildExtension()]);
  const resourceServer = await startSpringBootApp({ boot: '4.0', profile: 'resource-server', extraProperties: { 'jwt.issuer': authServer.issuer, 'jwt.audience': String(auth['Client ID']) } }).catch(async (error: unknown) => {
    await authServer.stop();
    throw error;
  });
  const dir = await mkdtemp(join(tmpdir(), 'hs-sign-in-'));
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { issuer: authServer.issuer, spring: resourceServer.baseUrl, Security: { Auth: { [name]: auth } } } }));
  await writeFile(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: { [name]: { 'Client Secret': clientSecret } } } } }));
  const call = ['###', 'GET {{spring}}/api/me', `Authorization: Bearer {{$auth.token("${name}")}}`, ''];
  await writeFile(join(dir, `${name}.http`), Array.from({ length: calls }, () => call).flat().join('\n'));
  return {
    authServer,
    resourceServer,
    dir,
    async close() {
      await resourceServer.stop();
      await authServer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `startTokenSetup` with Chromium to sign in. */
export async function startSignInSetup(name: string, auth: Readonly<Record<string, unknown>>, clientSecret: string, calls: number): Promise<SignInSetup> {
  const [setup, browser] = await Promise.all([startTokenSetup(name, auth, clientSecret, calls), launchBrowser()]);
  return {
    ...setup,
    browser,
    async close() {
      await browser.close();
      await setup.close();
    },
  };
}
