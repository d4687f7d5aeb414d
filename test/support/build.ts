// Builds what a real VS Code loads: the extension (the repo's esbuild.mjs) and the in-host test suite.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { artifactsDir, repoRoot } from './codeServer';

const execFileAsync = promisify(execFile);

/** The extension the extension-host suite loads: this checkout, built by buildExtension(). */
export const extensionUnderTest = repoRoot;

export const hostSuiteEntry = path.join(repoRoot, 'test/vscode/suite/index.ts');
export const hostSuiteBundle = path.join(repoRoot, 'out/test/vscode/suite/index.js');

/** `node esbuild.mjs`: dist/extension.js and the other bundles. */
export async function buildExtension(): Promise<void> {
  await execFileAsync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot });
}

/** Bundles the in-host suite as VS Code's `extensionTestsPath` expects: CommonJS exporting run(). */
export async function buildHostSuite(): Promise<string> {
  await esbuild.build({
    entryPoints: [hostSuiteEntry],
    outfile: hostSuiteBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return hostSuiteBundle;
}

/** Builds and packages the extension as a user installs it (offline: no dependency scan, no prompts). */
export async function packageExtension(outFile = path.join(artifactsDir, 'http-session.vsix')): Promise<string> {
  await buildExtension();
  await mkdir(path.dirname(outFile), { recursive: true }); // vsce does not create it
  const vsce = path.join(repoRoot, 'node_modules/@vscode/vsce/vsce');
  await execFileAsync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', outFile], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  return outFile;
}
