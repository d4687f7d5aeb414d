// `npm run test:vscode-electron`: the SAME in-host suite in desktop VS Code downloaded by
// @vscode/test-electron. Needs internet (update.code.visualstudio.com); offline machines use
// test/vscode/extensionHost.test.ts (code-server + Chromium) instead.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension, buildHostSuite, extensionUnderTest } from '../support/build';
import { copyWorkspace } from '../support/workspace';
import { resultsFileEnv, type HostTestResult } from './suite/results';

async function main(): Promise<void> {
  await buildExtension();
  const extensionTestsPath = await buildHostSuite();
  const workspace = await copyWorkspace();
  const resultsFile = path.join(workspace.parentDir, 'results.json');
  try {
    const exitCode = await runTests({
      extensionDevelopmentPath: extensionUnderTest,
      extensionTestsPath,
      extensionTestsEnv: { [resultsFileEnv]: resultsFile },
      launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(workspace.parentDir, 'user-data')],
    }).catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      return 1;
    });
    const results = JSON.parse(await readFile(resultsFile, 'utf8').catch(() => '[]')) as HostTestResult[];
    for (const result of results) {
      console.log(`${result.passed ? '✔' : '✖'} ${result.name} (${result.durationMs} ms)${result.error ? `\n${result.error}` : ''}`);
      for (const note of result.notes ?? []) console.log(`  ℹ ${note}`);
    }
    const failed = results.filter((result) => !result.passed).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exitCode = exitCode === 0 && results.length > 0 ? 0 : 1;
  } finally {
    await workspace.remove();
  }
}

void main();
