// Issue 16's proof: a request file exported with `http-session export --to python` (the CLI as a
// whole process) and run by real Python `requests` against the real Spring Boot apps and the demo
// server gets, request by request, the statuses our own session got for the same file, ends with the
// same cookie names in its jar, and reads the same final JSON. The private password is read from the
// environment, never written into the script.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { nodeFileReader } from '../../../src/cli/nodeFileReader';
import { parseRequestFile } from '../../../src/core/parse';
import { systemClock } from '../../../src/core/ports';
import { runRequest } from '../../../src/core/run/runRequest';
import { SessionRegistry } from '../../../src/core/session';
import { loadEnvironments } from '../../../src/core/vars/environments';
import { startDemoServer, type DemoServer } from '../../../src/demo/demoServer';
import { buildExtension } from '../../support/build';
import { memoryStorage } from '../../../src/cli/jsonFileStorage';
import { bootVersions, startSpringBootApp, type SpringBootApp } from '../support/springBoot';

const run = promisify(execFile);
const cliPath = join(import.meta.dirname, '..', '..', '..', 'dist', 'cli.js');
const password = 'password';

/** The login flow through the login page's masked _csrf, then the API. */
const formLoginFlow = (csrfHeader: string) => `# A Spring Security form login, then the API.
### The login page: its form carries the masked _csrf
# @name loginPage
GET {{host}}/login
Accept: text/html

### Log in with the page's token
# @name login
POST {{host}}/login
Content-Type: application/x-www-form-urlencoded

username={{user}}&password={{password}}&_csrf={{loginPage.response.csrf}}

### Who am I
# @name me
GET {{host}}/api/me
Accept: application/json

${csrfHeader}
### The second Tomcat context keeps its own JSESSIONID (Path=/app)
GET {{host}}/app/
Accept: application/json

### Who am I, still
# @name meAgain
GET {{host}}/api/me
Accept: application/json
`;

/** classic: the token lives in the session; /api/csrf gives it (masked) for X-CSRF-TOKEN. */
const classicNote = `### The token for API calls
# @name csrf
GET {{host}}/api/csrf
Accept: application/json

### A note, with the token from /api/csrf
POST {{host}}/api/notes
Content-Type: application/json
Accept: application/json
X-CSRF-TOKEN: {{csrf.response.body.$.token}}

{"text": "from {{me.response.body.$.name}}"}
`;

/** spa (and the demo server): the session sends the XSRF-TOKEN cookie as X-XSRF-TOKEN by itself. */
const spaNote = `### A note: the CSRF header comes from the XSRF-TOKEN cookie, added by the session
POST {{host}}/api/notes
Content-Type: application/json
Accept: application/json

{"text": "hi", "tags": ["a", "b"]}
`;

interface Outcome {
  readonly statuses: readonly number[];
  readonly cookieNames: readonly string[];
  readonly lastJson: unknown;
}

/** Our session, through the same path as `http-session run`. */
async function ourSession(dir: string, file: string): Promise<Outcome> {
  const path = join(dir, file);
  const parsed = parseRequestFile(readFileSync(path, 'utf8'), path);
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  const { registry } = await SessionRegistry.restore(memoryStorage, { clock: systemClock });
  try {
    const environments = await loadEnvironments(path, dir, nodeFileReader);
    const statuses: number[] = [];
    let lastBody = '';
    for (const template of parsed.requests) {
      const outcome = await runRequest(template, parsed, path, { registry, reader: nodeFileReader, clock: systemClock, processEnv: {}, environmentName: 'test', environments });
      assert.equal(outcome.kind, 'sent', JSON.stringify(outcome));
      if (outcome.kind !== 'sent') throw new Error('refused');
      statuses.push(outcome.exchange.response?.status ?? 0);
      lastBody = new TextDecoder().decode(outcome.exchange.response?.body);
    }
    const cookieNames = [...new Set(registry.get('default').listCookies().map((cookie) => cookie.name))].sort();
    return { statuses, cookieNames, lastJson: JSON.parse(lastBody) };
  } finally {
    registry.dispose();
  }
}

/** The exported script, run by Debian's Python with requests; the private password only in its environment. */
async function pythonScript(dir: string, file: string): Promise<Outcome & { readonly script: string }> {
  const { stdout: script } = await run(process.execPath, [cliPath, 'export', file, '--env', 'test', '--to', 'python'], { cwd: dir });
  const scriptPath = join(dir, `${file}.py`);
  writeFileSync(scriptPath, script);
  await run('/usr/bin/python3', ['-m', 'py_compile', scriptPath]);
  await assertPyflakesClean(scriptPath);
  // Runs the script as a program, then reports what its session holds and the last response's JSON.
  const probe = `import json, runpy, sys
names = runpy.run_path(sys.argv[1], run_name="__main__")
last = [value for value in names.values() if hasattr(value, "status_code")][-1]
print("RESULT " + json.dumps({"cookies": sorted({c.name for c in names["session"].cookies}), "last": last.json()}))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', probe, scriptPath], { cwd: dir, env: { PATH: process.env.PATH ?? '', password } });
  const lines = stdout.trim().split('\n');
  const result = JSON.parse(lines.at(-1)!.replace(/^RESULT /, '')) as { cookies: string[]; last: unknown };
  // report() prints "STATUS METHOD URL" for each request.
  const statuses = lines.slice(0, -1).map((line) => Number(line.split(' ')[0]));
  return { script, statuses, cookieNames: result.cookies, lastJson: result.last };
}

/** pyflakes (Debian's python3-pyflakes, installed by the test scripts) finds nothing to say. */
async function assertPyflakesClean(path: string): Promise<void> {
  const { stdout, stderr } = await run('/usr/bin/python3', ['-m', 'pyflakes', path]).catch((error: { stdout: string; stderr: string }) => error);
  assert.equal(`${stdout}${stderr}`, '', `pyflakes on ${path}`);
}

function writeWorkspace(dir: string, host: string, file: string, content: string): void {
  writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify({ test: { host, user: 'user' } }));
  writeFileSync(join(dir, 'http-client.private.env.json'), JSON.stringify({ test: { password } }));
  writeFileSync(join(dir, file), content);
}

async function assertSameOutcome(dir: string, file: string, expectedStatuses: readonly number[]): Promise<void> {
  const ours = await ourSession(dir, file);
  const python = await pythonScript(dir, file);
  assert.deepEqual(ours.statuses, expectedStatuses, 'our session');
  assert.deepEqual(python.statuses, ours.statuses, 'requests.Session, request by request');
  assert.deepEqual(python.cookieNames, ours.cookieNames, 'the cookie names in the jar at the end');
  assert.deepEqual(python.lastJson, ours.lastJson, 'the final JSON');
  // "password" is also the form field's and the variable's name: only as a key may that string appear.
  assert.ok(!new RegExp(`"${password}"(?![:\\]])`).test(python.script), 'the private password is not in the script');
  assert.match(python.script, /PASSWORD = os\.environ\["password"\]/);
}

before(() => buildExtension());

test('the golden script of every construct compiles and pyflakes finds nothing in it', async () => {
  const golden = join(import.meta.dirname, '..', '..', 'unit', 'export', 'golden', 'constructs.py');
  const dir = mkdtempSync(join(tmpdir(), 'hs-golden-'));
  try {
    const copy = join(dir, 'constructs.py');
    writeFileSync(copy, readFileSync(golden));
    await run('/usr/bin/python3', ['-m', 'py_compile', copy]);
    await assertPyflakesClean(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('an exported script against the real Spring Boot app', { concurrency: true }, () => {
  for (const boot of bootVersions) {
    describe(`Boot ${boot}`, () => {
      const apps: Partial<Record<'classic' | 'spa' | 'spring-session', SpringBootApp>> = {};
      let dir: string;
      before(async () => {
        dir = mkdtempSync(join(tmpdir(), `hs-export-${boot}-`));
        [apps.classic, apps.spa, apps['spring-session']] = await Promise.all(
          (['classic', 'spa', 'spring-session'] as const).map((profile) => startSpringBootApp({ boot, profile, sessionTimeoutSeconds: 60 })),
        );
      });
      after(async () => {
        await Promise.all(Object.values(apps).map((app) => app.stop()));
        rmSync(dir, { recursive: true, force: true });
      });

      test('classic: the session-stored CSRF token from /api/csrf', async () => {
        const sub = join(dir, 'classic');
        mkdirSync(sub);
        writeWorkspace(sub, apps.classic!.baseUrl, 'flow.http', formLoginFlow(classicNote));
        await assertSameOutcome(sub, 'flow.http', [200, 200, 200, 200, 201, 200, 200]);
      });

      test('spring-session: the SESSION cookie and the session-stored token', async () => {
        const sub = join(dir, 'spring-session');
        mkdirSync(sub);
        writeWorkspace(sub, apps['spring-session']!.baseUrl, 'flow.http', formLoginFlow(classicNote));
        await assertSameOutcome(sub, 'flow.http', [200, 200, 200, 200, 201, 200, 200]);
      });

      test('spa: the XSRF-TOKEN cookie sent as X-XSRF-TOKEN by the session', async () => {
        const sub = join(dir, 'spa');
        mkdirSync(sub);
        writeWorkspace(sub, apps.spa!.baseUrl, 'flow.http', formLoginFlow(spaNote));
        await assertSameOutcome(sub, 'flow.http', [200, 200, 200, 201, 200, 200]);
      });
    });
  }
});

describe('an exported script against the demo server', () => {
  let demo: DemoServer;
  let dir: string;
  before(async () => {
    demo = await startDemoServer({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'hs-export-demo-'));
  });
  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the form login and the API, as in the examples', async () => {
    writeWorkspace(dir, demo.url, 'flow.http', formLoginFlow(spaNote).replace(/### The second Tomcat context[\s\S]*?\n\n/, ''));
    await assertSameOutcome(dir, 'flow.http', [200, 200, 200, 201, 200]);
  });
});
