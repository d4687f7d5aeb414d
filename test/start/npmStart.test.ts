// The README's first command on this machine, as a user runs it: `npm start` through npm itself (so
// the nested installs see the outer npm's environment), with the project's cache wherever
// HTTP_SESSION_CACHE points. `.ci/run` points it at an empty folder and runs this stage before any
// other installs into it, so CI proves that `npm start` installs what it needs on a fresh machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { repoRoot } from '../support/codeServer';

const installMinutes = 15;

test('npm start builds, starts the demo server, installs the VS Code it needs and prints its URL', { timeout: (installMinutes + 2) * 60_000 }, async () => {
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    // Its own process group, so the test can stop everything it started by PID.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HTTP_SESSION_EDITOR: 'browser', HTTP_SESSION_DEMO_PORT: '0' },
  });
  const pid = child.pid;
  assert.ok(pid, 'npm start did not spawn');
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const lines = createInterface({ input: child.stdout });
  const seen = { demo: '', vscode: '' };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no VS Code URL within ${installMinutes} min:\n${output}`)), installMinutes * 60_000);
      lines.on('line', (line) => {
        output += `${line}\n`;
        const demo = /^Demo server: (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (demo) seen.demo = demo[1];
        const vscode = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/.exec(line);
        if (vscode) {
          seen.vscode = vscode[1];
          clearTimeout(timer);
          resolve();
        }
      });
      exited.then(([code, signal]) => reject(new Error(`npm start exited (${signal ?? code}) before printing a URL:\n${output}`)));
    });

    assert.ok(seen.demo, `no "Demo server:" line before the URL:\n${output}`);
    const login = await fetch(`${seen.demo}/login`);
    assert.equal(login.status, 200, 'the demo server answers its login page');
    assert.match(await login.text(), /name="_csrf"/);

    const url = new URL(seen.vscode);
    assert.equal(url.searchParams.get('folder'), `${repoRoot}/examples`);
    const workbench = await fetch(url);
    assert.equal(workbench.status, 200, 'the printed URL serves the VS Code workbench');
    assert.match(await workbench.text(), /workbench/i);
  } finally {
    // Ctrl+C as a user would: start.mjs stops code-server and the demo server, then exits.
    process.kill(-pid, 'SIGINT');
    const stopped = setTimeout(() => process.kill(-pid, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(stopped);
  }
  assert.match(output, /^Stopped\.$/m, 'npm start stops what it started on Ctrl+C');
  await assert.rejects(fetch(`${seen.demo}/login`), 'the demo server is gone after Ctrl+C');
  await assert.rejects(fetch(seen.vscode), 'code-server is gone after Ctrl+C');
});
