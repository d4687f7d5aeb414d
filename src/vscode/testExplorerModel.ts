// What the Test Explorer shows, without VS Code: which requests of a file have tests, and what one
// exchange means for its request and for each of its tests. The controller (testExplorer.ts) only maps
// these onto TestItems and a TestRun.
import type { Exchange } from '../core/model/exchange';
import type { ParsedFile, RequestTemplate } from '../core/model/request';

/** JetBrains `client.test(`, httpYac `test(`/`test.status(` and `??` lines — textual: finding a file's tests must not run its scripts. */
const testCall = /\b(?:client\.)?test(?:\.\w+)?\s*\(|^\s*\?\?/m;

/** A cheap check on a file's text before it is parsed: only files that may have tests become items. */
export function mayHaveTests(text: string): boolean {
  return testCall.test(text);
}

export interface RequestWithTests {
  /** The request line (zero-based): the item's id within its file and where a run sends from. */
  readonly line: number;
  readonly label: string;
}

/** The requests of a parsed file with tests: `??` assertions, or scripts that call `client.test`/`test`. */
export function requestsWithTests(file: ParsedFile): RequestWithTests[] {
  return file.requests.filter(hasTests).map((template) => ({ line: template.requestLineRange.startLine, label: requestLabel(template) }));
}

function hasTests(template: RequestTemplate): boolean {
  return [...template.handlers, ...(template.preRequestScripts ?? [])].some(
    (handler) => handler.kind === 'assertion' || ((handler.kind === 'script' || handler.kind === 'httpYacScript') && mayHaveTests(handler.text)),
  );
}

function requestLabel(template: RequestTemplate): string {
  return template.name ?? template.title ?? `${template.method} ${template.url}`;
}

export type ItemResult = { readonly state: 'passed' } | { readonly state: 'failed' | 'errored'; readonly message: string };

export interface RequestResult {
  readonly request: ItemResult;
  /** One per `client.test`, in the order they ran (a name may repeat; the controller keeps the last). */
  readonly tests: readonly { readonly name: string; readonly result: ItemResult }[];
}

/**
 * The request passes when every test passed; fails when one failed (saying how many); errors when the
 * request got no response (the transport's message) — its tests still show what they found.
 */
export function requestResult(exchange: Exchange): RequestResult {
  const results = exchange.tests ?? [];
  const tests = results.map(({ name, passed, message }) => ({
    name,
    result: passed ? ({ state: 'passed' } as const) : ({ state: 'failed', message: message ?? 'failed' } as const),
  }));
  const failed = results.filter((test) => !test.passed).length;
  if (exchange.error) return { request: { state: 'errored', message: exchange.error.message }, tests };
  if (failed > 0) return { request: { state: 'failed', message: `${failed} of ${results.length} tests failed` }, tests };
  return { request: { state: 'passed' }, tests };
}
