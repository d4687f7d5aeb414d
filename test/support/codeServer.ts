// Starts a real VS Code (code-server, in the browser) for the extension-host and UI tests and for
// `npm start`. Facts behind the flags: /work/shared/notes/real-vscode.md.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const artifactsDir = path.join(repoRoot, '.test-artifacts');

/** Settings that keep a fresh window quiet: no chat, no welcome page, no update or telemetry traffic. */
export const quietUserSettings: Readonly<Record<string, unknown>> = {
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

/**
 * With `workspaceTrust: true`: the folder opens untrusted (Restricted Mode) without the startup
 * "Do you trust the authors?" dialog, which would otherwise cover the window.
 */
export const untrustedWindowSettings: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

export interface CodeServerOptions {
  /** Folder opened by default (`?folder=` can open another one). */
  workspace: string;
  /** `.vsix` files to install, or extension folders to copy in as `publisher.name-version`. */
  extensionsToInstall?: string[];
  userSettings?: Record<string, unknown>;
  /**
   * Leave VS Code's workspace trust on (the folder opens in Restricted Mode unless trusted). Off by
   * default: `--disable-workspace-trust` makes every folder trusted. See untrustedWindowSettings.
   */
  workspaceTrust?: boolean;
  /** Needed for `?payload=` (extensionDevelopmentPath / extensionTestsPath); it also hides notification toasts. */
  smokeTestDriver?: boolean;
  /** Extra environment for the server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Folder that receives the run folder; `.test-artifacts/runs` by default. */
  runsDir?: string;
  /** A free loopback port is picked when absent. */
  port?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  /** Holds user-data, extensions, XDG folders, TMPDIR and `code-server.log`. */
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** Kills the whole process group (extension hosts outlive the browser) and removes the run folder. */
  stop(): Promise<void>;
}

export interface CodeServerInstall {
  node24: string;
  codeServer: string;
}

/** Installs Node 24 and code-server into the cache on first use (progress on stderr) and returns their paths. */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const script = path.join(repoRoot, 'scripts/ensure-code-server.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} failed with exit code ${code}`);
  const value = (key: string): string => {
    const line = stdout.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`ensure-code-server.sh printed no ${key}= line:\n${stdout}`);
    return line.slice(key.length + 1).trim();
  };
  return { node24: value('NODE24'), codeServer: value('CODE_SERVER') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

interface RunLayout {
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  env: NodeJS.ProcessEnv;
  configFile: string;
}

async function prepareRun(install: CodeServerInstall, options: CodeServerOptions): Promise<RunLayout> {
  const runsDir = options.runsDir ?? path.join(artifactsDir, 'runs');
  await mkdir(runsDir, { recursive: true });
  const runDir = await mkdtemp(path.join(runsDir, 'run-'));
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const xdg = { XDG_CONFIG_HOME: 'config', XDG_DATA_HOME: 'data', XDG_CACHE_HOME: 'cache', TMPDIR: 'tmp' };
  const dirs = Object.fromEntries(Object.entries(xdg).map(([key, name]) => [key, path.join(runDir, name)]));
  await Promise.all([path.join(userDataDir, 'User'), extensionsDir, ...Object.values(dirs)].map((dir) => mkdir(dir, { recursive: true })));
  const settings = { ...quietUserSettings, ...options.userSettings };
  await writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = path.join(runDir, 'config.yaml');
  await writeFile(configFile, 'auth: none\ncert: false\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...dirs,
    ...options.env,
    // code-server's workbench fails under Node 20, and its helpers look `node` up on PATH.
    PATH: `${path.dirname(install.node24)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  return { runDir, userDataDir, extensionsDir, env, configFile };
}

async function installExtension(install: CodeServerInstall, run: RunLayout, source: string): Promise<void> {
  if (source.endsWith('.vsix')) {
    await execFileAsync(
      install.codeServer,
      ['--config', run.configFile, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir, '--install-extension', source],
      { env: run.env, maxBuffer: 16 * 1024 * 1024 },
    );
    return;
  }
  const manifest = JSON.parse(await readFile(path.join(source, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  await cp(source, path.join(run.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
}

// Resolves on the line code-server prints once it listens; rejects if it exits first.
function waitForListening(child: ChildProcess, log: NodeJS.WritableStream, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`code-server did not listen within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes('HTTP server listening on')) finish();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`code-server exited before listening (code ${code}, signal ${signal}):\n${seen}`));
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

// Signal handlers are shared by every server of this process, so they are registered once.
const liveGroups = new Set<number>();
let exitHooksInstalled = false;
function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const group of liveGroups) killGroup(group, 'SIGKILL');
      // Die of the signal as usual, unless the program handles it itself (e.g. `npm start`).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Starts code-server in its own process group on a free loopback port; resolves once `/healthz` answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = await ensureCodeServer();
  const run = await prepareRun(install, options);
  for (const source of options.extensionsToInstall ?? []) await installExtension(install, run, source);

  const port = options.port ?? (await freePort());
  const args = [
    '--config', run.configFile,
    '--user-data-dir', run.userDataDir,
    '--extensions-dir', run.extensionsDir,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.workspace,
  ];
  const log = createWriteStream(path.join(run.runDir, 'code-server.log'));
  // detached = setsid(): the server and every extension host it starts share one killable group.
  const child = spawn(install.codeServer, args, { env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${install.codeServer}`);
  trackGroup(pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = async (keepRunDir = Boolean(process.env.HTTP_SESSION_KEEP_RUNS)): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(pid, 'SIGTERM');
      const deadline = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(deadline);
    }
    // Extension hosts may linger after the server itself is gone.
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
    await closed;
    log.end();
    if (!keepRunDir) await rm(run.runDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForListening(child, log, 60_000);
    const health = await fetch(new URL('healthz', url));
    if (!health.ok) throw new Error(`${url}healthz answered ${health.status}`);
  } catch (error) {
    await stop(true); // keeps code-server.log for the post-mortem
    throw new Error(`${(error as Error).message}\n(log: ${path.join(run.runDir, 'code-server.log')})`, { cause: error });
  }
  return { url, port, runDir: run.runDir, userDataDir: run.userDataDir, extensionsDir: run.extensionsDir, stop: () => stop() };
}
