// A minimal test API for code that runs inside the extension host, where node:test cannot report.
// Suites are plain values collected by index.ts: no global registry, no test discovery.
import { writeFile } from 'node:fs/promises';
import type { HostTestResult } from './results';

/** What a test body may use besides assertions. */
export interface HostTestContext {
  /** Records a measurement; the launcher reports it as the test's diagnostic (t.diagnostic). */
  note(text: string): void;
}

export type HostTestBody = (context: HostTestContext) => void | Promise<void>;

export interface HostTest {
  name: string;
  body: HostTestBody;
  timeoutMs: number;
}

export interface HostSuite {
  name: string;
  tests: HostTest[];
}

export type DefineTest = (name: string, body: HostTestBody, options?: { timeoutMs?: number }) => void;

const defaultTimeoutMs = 30_000;

/** `defineSuite('codelens', (test) => { test('…', async () => { … }); })` */
export function defineSuite(name: string, define: (test: DefineTest) => void): HostSuite {
  const tests: HostTest[] = [];
  define((testName, body, options) => tests.push({ name: testName, body, timeoutMs: options?.timeoutMs ?? defaultTimeoutMs }));
  return { name, tests };
}

async function runOne(test: HostTest, context: HostTestContext): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${test.timeoutMs} ms`)), test.timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => test.body(context)), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every test in order, writes the results to `resultsFile`, and rejects if any failed. */
export async function runSuites(suites: readonly HostSuite[], resultsFile: string): Promise<HostTestResult[]> {
  const results: HostTestResult[] = [];
  for (const suite of suites) {
    for (const test of suite.tests) {
      const name = `${suite.name} › ${test.name}`;
      const started = Date.now();
      const notes: string[] = [];
      try {
        await runOne(test, { note: (text) => notes.push(text) });
        results.push({ name, passed: true, durationMs: Date.now() - started, notes });
        console.log(`[host test] ✔ ${name}`);
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        results.push({ name, passed: false, durationMs: Date.now() - started, error: text, notes });
        console.error(`[host test] ✘ ${name}\n${text}`);
      }
    }
  }
  await writeFile(resultsFile, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} extension-host tests failed: ${failed.map((r) => r.name).join(', ')}`);
  return results;
}
