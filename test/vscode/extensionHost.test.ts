// `npm test` stage: the in-host suite (test/vscode/suite) in a real VS Code. Each in-host test
// becomes a node:test subtest, so the totals count and name them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extensionUnderTest } from '../support/build';
import { runExtensionHostTests } from '../support/extensionHost';

// Carries the in-host stack as is: the launcher's own stack would only add noise.
class HostTestFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'HostTestFailure';
    this.stack = text;
  }
}

test('extension-host suite in a real VS Code', { timeout: 240_000 }, async (t) => {
  const run = await runExtensionHostTests({
    extensionDevelopmentPath: extensionUnderTest,
  });
  t.diagnostic(`code-server healthz after ${run.timings.healthzMs} ms, whole run ${run.timings.runMs} ms`);
  for (const result of run.results) {
    await t.test(result.name, () => {
      if (!result.passed) throw new HostTestFailure(result.error ?? 'failed without an error');
    });
  }
  const hostOutput = run.console.filter((line) => line.includes('[host test]') || line.includes('[Extension Host]')).join('\n');
  assert.ok(run.results.length > 0, `the suite reported no results (exit code ${run.exitCode}); window console:\n${run.console.join('\n')}`);
  assert.equal(run.exitCode, 0, `the extension host exited with ${run.exitCode}:\n${hostOutput}`);
});
