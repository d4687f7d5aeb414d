// `npm test` stage: the in-host suite (test/vscode/suite) in a real VS Code. Each in-host test
// becomes a top-level node:test test, so the totals count and name them one for one. node:test
// accepts tests registered after an await as long as the process is still busy, which it is here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildExtension, extensionUnderTest } from '../support/build';
import { runExtensionHostTests, type ExtensionHostRun } from '../support/extensionHost';

// Carries the in-host stack as is: the launcher's own stack would only add noise.
class HostTestFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'HostTestFailure';
    this.stack = text;
  }
}

function reportRun(run: ExtensionHostRun): void {
  for (const result of run.results) {
    test(result.name, (t) => {
      t.diagnostic(`${result.durationMs} ms in the extension host`);
      for (const note of result.notes ?? []) t.diagnostic(note);
      if (!result.passed) throw new HostTestFailure(result.error ?? 'failed without an error');
    });
  }
  // Catches what no single result shows (a crash, a run() that never wrote results) without
  // counting a failed in-host test twice.
  test('the extension host ran the whole suite and exited accordingly', (t) => {
    t.diagnostic(`code-server healthz after ${run.timings.healthzMs} ms, whole run ${run.timings.runMs} ms`);
    assert.ok(run.results.length > 0, `the suite reported no results (exit code ${run.exitCode}); window console:\n${run.console.join('\n')}`);
    const expectedExit = run.results.every((result) => result.passed) ? 0 : 1;
    assert.equal(run.exitCode, expectedExit, `exit code ${run.exitCode} disagrees with the results; window console:\n${run.console.join('\n')}`);
  });
}

void (async () => {
  await buildExtension();
  return runExtensionHostTests({ extensionDevelopmentPath: extensionUnderTest });
})().then(reportRun, (error: unknown) => {
  test('extension-host suite in a real VS Code', () => {
    throw error;
  });
});
