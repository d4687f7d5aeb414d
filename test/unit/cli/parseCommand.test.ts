import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';

/** Runs the CLI in-process and captures what it prints. */
async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), cwd, env: {} });
  return { code, out, err };
}

describe('http-session parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-parse-'));
  writeFileSync(join(dir, 'ok.http'), '@host = localhost:8080\n\n###\n# @name login\nPOST {{host}}/login\nContent-Type: application/json\n\n{"user": "u"}\n\n###\nGET {{host}}/api/me\n');
  writeFileSync(join(dir, 'broken.http'), 'GET http://h/a\nnot a header\n\n###\nGET http://h/b\n');
  writeFileSync(join(dir, 'requests.http.yaml'), 'requests:\n  - name: me\n    GET: http://h/api/me\n');

  it('prints the requests as JSON with 1-based lines and exits 0', async () => {
    const { code, out } = await cli(['parse', 'ok.http', '--json'], dir);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), {
      requests: [
        { name: 'login', method: 'POST', url: '{{host}}/login', headers: { 'Content-Type': 'application/json' }, body: '{"user": "u"}', line: 5 },
        { name: null, method: 'GET', url: '{{host}}/api/me', headers: {}, body: null, line: 11 },
      ],
      diagnostics: [],
    });
  });

  it('exits 2 on an error, names file:line, and still lists the other request', async () => {
    const { code, out, err } = await cli(['parse', 'broken.http', '--json'], dir);
    assert.equal(code, 2);
    const parsed = JSON.parse(out) as { requests: { url: string }[]; diagnostics: { line: number; severity: string }[] };
    assert.deepEqual(parsed.requests.map((r) => r.url), ['http://h/a', 'http://h/b']);
    assert.equal(parsed.diagnostics[0].line, 2);
    assert.match(err, /^broken\.http:2:1: error: /m);
  });

  it('reads YAML request files by their name', async () => {
    const { code, out } = await cli(['parse', 'requests.http.yaml'], dir);
    assert.equal(code, 0);
    assert.match(out, /requests\.http\.yaml:3 {2}GET http:\/\/h\/api\/me {2}\(me\)/);
  });

  it('usage errors exit 2 with a message', async () => {
    assert.equal((await cli(['parse'], dir)).code, 2);
    const missing = await cli(['parse', 'nope.http'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read nope\.http: ENOENT/);
    assert.equal((await cli(['frobnicate'], dir)).code, 2);
  });
});
