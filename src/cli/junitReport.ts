// `--junit FILE`: the run's tests as JUnit XML, the report CI servers read (like JetBrains `ijhttp --report`):
// one <testsuite> per request file, one <testcase> per test (`client.test`), named after its request.
// Written by hand: escaping five characters does not need an XML library.
import type { TestResult } from '../core/model/exchange';

export interface JunitRequest {
  /** `name` of the request, else `METHOD url`. */
  readonly request: string;
  readonly tests: readonly TestResult[];
  readonly timeMs: number;
}

export interface JunitFile {
  readonly file: string;
  readonly requests: readonly JunitRequest[];
}

// Characters XML 1.0 cannot hold at all (control characters other than tab, LF, CR).
// eslint-disable-next-line no-control-regex
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function escape(text: string): string {
  return text
    .replace(notXml, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The report; `mask` hides secret values in its texts (not in its numbers, which it would break). */
export function junitReport(files: readonly JunitFile[], mask: (text: string) => string = (text) => text): string {
  const text = (value: string) => escape(mask(value));
  const count = (requests: readonly JunitRequest[], failed: boolean) => requests.reduce((sum, r) => sum + r.tests.filter((t) => !failed || !t.passed).length, 0);
  const all = files.flatMap((f) => f.requests);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="http-session" tests="${count(all, false)}" failures="${count(all, true)}">`];
  for (const file of files) {
    const time = file.requests.reduce((sum, r) => sum + r.timeMs, 0);
    lines.push(`  <testsuite name="${text(file.file)}" tests="${count(file.requests, false)}" failures="${count(file.requests, true)}" errors="0" skipped="0" time="${seconds(time)}">`);
    for (const request of file.requests) {
      for (const test of request.tests) {
        const open = `    <testcase classname="${text(request.request)}" name="${text(test.name)}" time="${seconds(request.timeMs)}"`;
        if (test.passed) lines.push(`${open}/>`);
        else lines.push(`${open}>`, `      <failure message="${text(test.message ?? 'failed')}"/>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
