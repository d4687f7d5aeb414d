// The Device Authorization grant (RFC 8628) through `http-session run` as a whole process, against the
// real Spring Authorization Server (test/fixtures/spring-auth-server: client device-client) and the
// Spring Boot test app as resource server. The CLI prints the verification page and the user code and
// polls; Debian's Chromium (headless) opens the page, signs in and consents; the CLI's next
// poll gets the token and the request gets 200.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../support/browser';
import { buildExtension } from '../../support/build';
import { cliPath } from '../../support/cli';
import { authServerUser, consentOnPage, signInOnLoginPage, startAuthServer, type AuthServer } from '../support/authServer';
import { startSpringBootApp, type SpringBootApp } from '../support/springBoot';

/** As registered in the fixture's application.properties. */
const clientSecret = 'device-secret-3a7c5e91bd';
let authServer: AuthServer;
let resourceServer: SpringBootApp;
let browser: Browser;
let dir: string;

before(async () => {
  [authServer, browser] = await Promise.all([startAuthServer(), launchBrowser(), buildExtension()]);
  resourceServer = await startSpringBootApp({ boot: '4.0', profile: 'resource-server', extraProperties: { 'jwt.issuer': authServer.issuer, 'jwt.audience': 'device-client' } });
  dir = await mkdtemp(join(tmpdir(), 'hs-device-'));
  const tv = {
    Type: 'OAuth2',
    'Grant Type': 'Device Authorization',
    'Device Auth URL': '{{issuer}}/oauth2/device_authorization',
    'Token URL': '{{issuer}}/oauth2/token',
    'Client ID': 'device-client',
    Scope: 'read',
  };
  await writeFile(join(dir, 'http-client.env.json'), JSON.stringify({ dev: { issuer: authServer.issuer, spring: resourceServer.baseUrl, Security: { Auth: { tv } } } }));
  await writeFile(join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: { tv: { 'Client Secret': clientSecret } } } } }));
  await writeFile(join(dir, 'tv.http'), ['GET {{spring}}/api/me', 'Authorization: Bearer {{$auth.token("tv")}}', ''].join('\n'));
});
after(async () => {
  await browser?.close();
  await resourceServer?.stop();
  await authServer?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the CLI shows the verification page and user code, Chromium signs in and consents there, the polling CLI gets the token and the resource server answers 200', { timeout: 180_000 }, async () => {
  const cli = spawn(process.execPath, [cliPath, 'run', 'tv.http', '--env', 'dev', '--json', '--session', 'session.json'], { cwd: dir });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  const exited = once(cli, 'exit');
  const [pageUrl, userCode] = await new Promise<[string, string]>((resolve, reject) => {
    createInterface({ input: cli.stderr }).on('line', (line) => {
      stderr += `${line}\n`;
      const match = /^auth configuration 'tv': open (\S+) and confirm the code (\S+); waiting…$/.exec(line);
      if (match) resolve([match[1]!, match[2]!]);
    });
    void exited.then(() => reject(new Error(`the CLI exited without a verification page:\n${stderr}`)));
  });
  assert.equal(pageUrl, `${authServer.issuer}/oauth2/device_verification?user_code=${userCode}`, 'verification_uri_complete: the code is in the link');
  assert.match(userCode, /^[A-Z]{4}-[A-Z]{4}$/);

  const page = await browser.newPage();
  await page.goto(pageUrl);
  await signInOnLoginPage(page);
  await consentOnPage(page);
  // SAS then says the device is approved.
  await page.waitForURL(/\?success$/);
  await page.close();

  const [code] = (await exited) as [number];
  assert.equal(code, 0, stderr);
  const { results, tokenEvents } = JSON.parse(stdout) as { results: { status: number }[]; tokenEvents: { kind: string; grant?: string; scope?: string }[] };
  assert.deepEqual(results.map((result) => result.status), [200]);
  assert.deepEqual(tokenEvents.map((event) => [event.kind, event.grant, event.scope]), [['issued', 'device_code', 'read']]);
  const stored = JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as { sessions: { default: { tokens: { tv: { accessToken: string; refreshToken: string } } } } };
  const { accessToken, refreshToken } = stored.sessions.default.tokens.tv;
  const output = stdout + stderr;
  for (const secret of [clientSecret, authServerUser.password, accessToken, refreshToken]) assert.ok(!output.includes(secret), 'no secret, token or password is printed');
  assert.doesNotMatch(output, /eyJ[\w-]+\.eyJ/, 'no JWT at all');
});
