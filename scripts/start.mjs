// `npm start`: build the extension, start the embedded demo server, and open VS Code on examples/
// with the extension loaded from this checkout. Runs until Ctrl+C (or, with desktop VS Code, until
// its window closes), then stops everything it started.
//
// Desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> examples` (a real dev host).
// Otherwise code-server (installed into the cache on first use). There the repo is linked into a
// fresh extensions dir as `publisher.name-version` rather than passed as extensionDevelopmentPath:
// code-server honours `?payload=extensionDevelopmentPath` only with the smoke-test driver, which
// hides notification toasts. After a rebuild (`npm run watch`), "Developer: Reload Window" loads it.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

const repoRoot = path.resolve(import.meta.dirname, '..');
const examples = path.join(repoRoot, 'examples');
const host = '127.0.0.1';
const demoPort = Number(process.env.HTTP_SESSION_DEMO_PORT ?? 8080);
const codeServerPort = Number(process.env.HTTP_SESSION_CODE_SERVER_PORT ?? 0) || undefined;
// `browser` forces code-server even where desktop `code` is on the PATH (the fresh-machine test uses it).
const editor = process.env.HTTP_SESSION_EDITOR ?? (onPath('code') ? 'desktop' : 'browser');
// Short on purpose: the examples show a session expiring without a long wait.
const sessionTimeoutSeconds = Number(process.env.HTTP_SESSION_DEMO_SESSION_TIMEOUT ?? 120);

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function untilInterrupted() {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve(signal));
  });
}

async function build() {
  const child = spawn(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the build failed (node esbuild.mjs exited with ${code})`);
}

async function startDemo() {
  const { startDemoServer } = await tsImport('../src/demo/demoServer.ts', import.meta.url);
  return startDemoServer({ port: demoPort, host, sessionTimeoutSeconds });
}

async function runDesktop() {
  console.log('Opening desktop VS Code with the extension in development mode; close its window to stop.');
  const child = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, examples], { stdio: 'inherit' });
  await Promise.race([once(child, 'exit'), untilInterrupted()]);
  child.kill();
}

async function runCodeServer() {
  const { startCodeServer } = await tsImport('../test/support/codeServer.ts', import.meta.url);
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const runsDir = path.join(os.tmpdir(), 'http-session-start');
  await mkdir(runsDir, { recursive: true });
  const server = await startCodeServer({ workspace: examples, runsDir, port: codeServerPort });
  try {
    // The window scans the extensions dir when it opens, so linking after the server starts is fine.
    await symlink(repoRoot, path.join(server.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
    const url = new URL(server.url);
    url.searchParams.set('folder', examples);
    console.log(`\nVS Code (code-server) is ready. Open this URL in a browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
    await untilInterrupted();
  } finally {
    await server.stop();
  }
}

async function main() {
  if (!existsSync(examples)) throw new Error(`${examples} is missing`);
  await build();
  const demo = await startDemo();
  console.log(`Demo server: ${demo.url}`);
  try {
    if (editor === 'desktop') await runDesktop();
    else await runCodeServer();
  } finally {
    await demo.close();
    console.log('Stopped.');
  }
}

main().catch((error) => {
  console.error(`npm start: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
