import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), cwd, env: {} });
  return { code, out, err };
}

describe('http-session cookies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-cookies-'));
  const future = Math.floor(Date.parse('2031-01-01T00:00:00Z') / 1000);
  writeFileSync(
    join(dir, 'cookies.txt'),
    [
      '# Netscape HTTP Cookie File',
      `#HttpOnly_localhost\tFALSE\t/\tFALSE\t0\tJSESSIONID\tABCDEF0123456789`,
      `.example.com\tTRUE\t/app\tTRUE\t${future}\ttheme\tdark`,
      'a line with spaces instead of tabs',
      `localhost\tFALSE\t/\tFALSE\t1000\told\tgone`,
    ].join('\n'),
  );

  it('imports into a session file, reports bad and expired lines by number, and keeps the good ones', async () => {
    const imported = await cli(['cookies', 'import', 'cookies.txt', '--session', 's.json'], dir);
    assert.equal(imported.code, 2, 'a malformed line makes the import exit 2');
    assert.match(imported.out, /imported 2 cookie\(s\)/);
    assert.match(imported.err, /cookies\.txt:4: error: expected 7 tab-separated fields/);
    assert.match(imported.err, /cookies\.txt:5: skipped: 'old' expired/);
    const stored = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { version: number };
    assert.equal(stored.version, 1);
  });

  it('lists with values masked, and shows them on request', async () => {
    const listed = await cli(['cookies', 'list', '--session', 's.json'], dir);
    assert.equal(listed.code, 0);
    assert.match(listed.out, /^localhost\t\/\tJSESSIONID=••••••\t\tHttpOnly session$/m);
    assert.doesNotMatch(listed.out, /ABCDEF/);
    assert.match((await cli(['cookies', 'list', '--session', 's.json', '--show-values'], dir)).out, /JSESSIONID=ABCDEF0123456789/);
  });

  it('exports what curl -b reads, and JetBrains format, losslessly', async () => {
    const netscape = await cli(['cookies', 'export', '--session', 's.json'], dir);
    assert.match(netscape.out, /^#HttpOnly_localhost\tFALSE\t\/\tFALSE\t0\tJSESSIONID\tABCDEF0123456789$/m);
    assert.match(netscape.out, new RegExp(`^\\.example\\.com\\tTRUE\\t/app\\tTRUE\\t${future}\\ttheme\\tdark$`, 'm'));
    writeFileSync(join(dir, 'exported.txt'), netscape.out);
    assert.equal((await cli(['cookies', 'import', 'exported.txt', '--session', 'copy.json'], dir)).code, 0);
    assert.equal((await cli(['cookies', 'export', '--session', 'copy.json'], dir)).out, netscape.out);
    const jetbrains = await cli(['cookies', 'export', '--session', 's.json', '--format', 'jetbrains'], dir);
    assert.match(jetbrains.out, /^# domain\tpath\tname\tvalue\tdate\nlocalhost\t\/\tJSESSIONID\tABCDEF0123456789\t-1$/m);
  });

  it('clears, and rejects wrong invocations with exit 2', async () => {
    assert.equal((await cli(['cookies', 'clear', '--session', 's.json'], dir)).code, 0);
    assert.equal((await cli(['cookies', 'list', '--session', 's.json'], dir)).out, '');
    assert.equal((await cli(['cookies', 'list'], dir)).code, 2);
    assert.equal((await cli(['cookies', 'export', '--session', 's.json', '--format', 'har'], dir)).code, 2);
    assert.equal((await cli(['cookies', 'import', '--session', 's.json'], dir)).code, 2);
  });
});
