// `http-session parse --json` as a whole process (node dist/cli.js) on fixture files: its output is a
// contract for scripts and CI, so the parser's speed work must leave it byte for byte as recorded.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { runCli as cli } from '../../support/cli';
import { repoRoot } from '../../support/codeServer';

const fixtures = join(repoRoot, 'test/fixtures/parse');
const recorded = (file: string) => readFileSync(join(fixtures, `${file}.parse.json`), 'utf8');
const cliChunks = join(repoRoot, 'dist/cli');

/** The source files bundled into `chunk` and every chunk it imports statically: what loading it runs. */
function staticallyLoadedSources(chunk: string, seen = new Set<string>()): string[] {
  if (seen.has(chunk)) return [];
  seen.add(chunk);
  const code = readFileSync(join(cliChunks, chunk), 'utf8');
  const imported = [...code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?"\.\/([^"]+\.mjs)";$/gm)].map((match) => match[1]);
  const { sources } = JSON.parse(readFileSync(join(cliChunks, `${chunk}.map`), 'utf8')) as { sources: string[] };
  return [...sources, ...imported.flatMap((next) => staticallyLoadedSources(next, seen))];
}

describe('http-session parse --json (whole process)', () => {
  before(buildExtension);

  it('prints every construct of a .http file as recorded, and its problems as file:line:column', async () => {
    const run = await cli(fixtures, 'parse', '--json', 'constructs.http');
    assert.equal(run.stdout, recorded('constructs.http'));
    assert.equal(
      run.stderr,
      [
        'constructs.http:50:32: error: HTTP/9x is not an HTTP version; write HTTP/1.1 or HTTP/2',
        'constructs.http:54:1: error: A header is written Name: value; leave a blank line before the body',
        'constructs.http:55:9: warning: {{ has no closing }} on this line',
        'constructs.http:58:3: error: This request has headers or a body but no request line such as GET https://example.com',
        '',
      ].join('\n'),
    );
    assert.equal(run.code, 2);
  });

  it('prints the bench file\'s kinds of request as recorded', async () => {
    const run = await cli(fixtures, 'parse', '--json', 'bench-shaped.http');
    assert.equal(run.stdout, recorded('bench-shaped.http'));
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
  });

  it('prints headers and bodies in the shapes JSON gives them, as recorded', async () => {
    // Recorded before --json built its header objects itself: a repeated name keeps its first place and its
    // last value, numeric names come first, `__proto__` is a header like any other; includes among the body text.
    const run = await cli(fixtures, 'parse', '--json', 'json-shapes.http');
    assert.equal(run.stdout, recorded('json-shapes.http'));
    assert.equal(run.code, 0);
  });

  it('loads the .http parser only: no YAML, HTTP, cookie or script engine package before a file needs it', () => {
    const parseChunk = readdirSync(cliChunks).find((name) => /^parseCommand-.*\.mjs$/.test(name));
    assert.ok(parseChunk, 'the build splits the parse command into its own chunk');
    const sources = staticallyLoadedSources(parseChunk);
    assert.ok(sources.some((source) => source.endsWith('src/core/parse/httpParser.ts')));
    assert.deepEqual(sources.filter((source) => /node_modules\/(yaml|undici|tough-cookie|quickjs|@jitl)\//.test(source)), []);
  });

  it('prints a YAML request file as recorded', async () => {
    const run = await cli(fixtures, 'parse', '--json', 'requests.http.yaml');
    assert.equal(run.stdout, recorded('requests.http.yaml'));
    assert.equal(run.code, 0);
  });
});
