// Issue 12, point 8: variables that repeat others (`@a1 = {{a0}}{{a0}}`) double at each level. The
// resolver stops a substitution once it would add more than 4 MiB (never building the large text),
// the editor's check flags such a variable at its line without expanding it, and a hover answers with
// the error at once. Cycles and deep nesting are still reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { checkVariables, describeVariable } from '../../../src/core/vars/editorSupport';
import { resolveRequest } from '../../../src/core/vars/resolveRequest';
import { makeContext } from './support';

/** `levels` doubling file variables (0.6 KiB for 26 of them) and a request whose body uses the last one. */
function doublingFile(levels: number): string {
  const lines = ['@a0 = xxxxxxxxxxxxxxxx'];
  for (let level = 1; level <= levels; level++) lines.push(`@a${level} = {{a${level - 1}}}{{a${level - 1}}}`);
  return [...lines, '', 'POST http://127.0.0.1:9/upload', 'Content-Type: text/plain', '', `{{a${levels}}}`, ''].join('\n');
}

for (const levels of [26, 40]) {
  test(`${levels} doubling levels: the request is refused at its body line, quickly, without building the text`, async () => {
    const file = parseHttpFile(doublingFile(levels));
    const started = performance.now();
    const outcome = await resolveRequest(file.requests[0]!, file, makeContext());
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
    assert.ok('diagnostics' in outcome);
    const [diagnostic] = outcome.diagnostics;
    assert.equal(diagnostic!.code, 'expansion-too-large');
    assert.equal(diagnostic!.message, "Variable 'a19' expands to more than 4 MiB: its value repeats other variables");
    assert.equal(diagnostic!.range.startLine, levels + 5, 'at the body line that uses it');
  });
}

test('the editor check flags the first variable past the limit and those built on it, at their own lines', () => {
  const file = parseHttpFile(doublingFile(26));
  const diagnostics = checkVariables(file, makeContext()).filter((d) => d.code === 'expansion-too-large');
  // 16 × 2^18 = 4 MiB is the limit: a19 is 8 MiB, the first over it.
  assert.deepEqual(diagnostics.map((d) => d.range.startLine), [19, 20, 21, 22, 23, 24, 25, 26]);
  assert.equal(diagnostics[0]!.message, '@a19 expands to 8.0 MiB (the limit is 4.0 MiB): its variables repeat others');
  assert.match(diagnostics.at(-1)!.message, /^@a26 expands to 1024 MiB/);
});

test('a hover on such a variable answers with the error at once; one just under the limit still resolves', async () => {
  const file = parseHttpFile(doublingFile(26));
  const started = performance.now();
  const over = await describeVariable('a26', file, makeContext());
  assert.ok(performance.now() - started < 2000);
  assert.equal(over.error, "Variable 'a19' expands to more than 4 MiB: its value repeats other variables");
  const under = await describeVariable('a17', file, makeContext());
  assert.equal(under.value?.length, 16 * 2 ** 17);
});

test('cycles and nesting deeper than 64 are reported, not expanded', async () => {
  const cycle = parseHttpFile('@a = {{b}}\n@b = {{a}}\nGET http://127.0.0.1:9/{{a}}\n');
  assert.match((await describeVariable('a', cycle, makeContext())).error ?? '', /Variable cycle: a → b → a/);
  const deep = ['@v0 = x', ...Array.from({ length: 80 }, (_, i) => `@v${i + 1} = {{v${i}}}`), 'GET http://127.0.0.1:9/{{v80}}', ''].join('\n');
  assert.match((await describeVariable('v80', parseHttpFile(deep), makeContext())).error ?? '', /nest more than 64 deep/);
});
