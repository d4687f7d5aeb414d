// `npm run demo:spring` (scripts/demo-spring.mjs) as a user runs it: a process of its own that prints
// the URL of the real Spring Boot 4.0 app, serves the examples there, and stops the JVM on Ctrl+C.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';
import { hiddenCsrf } from '../support/cookieClient';

let child: ChildProcess | undefined;

/** Whether any process of the group led by `pid` is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

after(() => {
  // Only if the test failed half-way: nothing of the group may outlive the test.
  if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
});

test('demo:spring prints the URL, serves the login page and examples/01, and stops the JVM on Ctrl+C', { timeout: 180_000 }, async () => {
  const [, started] = await Promise.all([
    buildExtension(),
    (async () => {
      // Its own process group, like a terminal's foreground job: Ctrl+C goes to node and java alike.
      child = spawn(process.execPath, ['scripts/demo-spring.mjs'], {
        cwd: repoRoot,
        env: { ...process.env, HTTP_SESSION_DEMO_PORT: '0' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = once(child, 'exit');
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child!.stdout! }).on('line', (line) => {
          const match = /^Spring Boot demo server: (http:\/\/127\.0\.0\.1:\d+) \(Boot 4\.0\.\d+, profile spa\)$/.exec(line);
          if (match?.[1]) resolve(match[1]);
        });
        exited.then(([code, signal]) => reject(new Error(`demo-spring.mjs exited (${signal ?? code}) before its URL line:\n${stderr}`)), reject);
      });
      return { url, exited };
    })(),
  ]);
  const { url, exited } = started;
  assert.doesNotMatch(url, /:0$/, 'the port the app got, not the 0 asked for');

  const login = await fetch(`${url}/login`, { headers: { Accept: 'text/html' } });
  assert.equal(login.status, 200);
  assert.match(hiddenCsrf(await login.text()) ?? '', /^[A-Za-z0-9_-]{96}$/, 'a masked _csrf field');

  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', join(repoRoot, 'examples/01-login-form.http'), '--json', '--var', `host=${url}`]);
  const { results } = JSON.parse(stdout) as { results: { name: string; status: number; findings: unknown[] }[] };
  assert.deepEqual(results.map((result) => [result.name, result.status]), [['loginPage', 200], ['login', 200], ['me', 200]]);
  assert.deepEqual(results.flatMap((result) => result.findings), []);

  const pid = child?.pid;
  assert.ok(pid);
  process.kill(-pid, 'SIGINT');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.equal(groupAlive(pid), false, 'the JVM stopped with it');
});
