import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDotenv } from '../../../src/core/vars/dotenv';

const cases: readonly { name: string; text: string; expected: Record<string, string> }[] = [
  { name: 'plain pairs', text: 'A=1\nB=two', expected: { A: '1', B: 'two' } },
  { name: 'CRLF line ends', text: 'A=1\r\nB=2\r\n', expected: { A: '1', B: '2' } },
  { name: 'export prefix', text: 'export TOKEN=abc', expected: { TOKEN: 'abc' } },
  { name: 'spaces around =', text: '  KEY  =  value  ', expected: { KEY: 'value' } },
  { name: 'full-line comments and blanks', text: '# comment\n\n  # indented\nA=1', expected: { A: '1' } },
  { name: 'inline comment after unquoted value', text: 'A=1 # one', expected: { A: '1' } },
  { name: '# inside a word is kept', text: 'URL=http://x/#frag', expected: { URL: 'http://x/#frag' } },
  { name: 'double quotes with escapes', text: 'A="line1\\nline2 \\"q\\""', expected: { A: 'line1\nline2 "q"' } },
  { name: 'double quotes keep # and spaces', text: 'A=" a # b " # comment', expected: { A: ' a # b ' } },
  { name: 'single quotes are literal', text: "A='x\\ny $B'", expected: { A: 'x\\ny $B' } },
  { name: 'backticks', text: 'A=`it\'s "fine"`', expected: { A: 'it\'s "fine"' } },
  { name: 'multi-line double-quoted value', text: 'KEY="-----BEGIN\nabc\n-----END"\nNEXT=1', expected: { KEY: '-----BEGIN\nabc\n-----END', NEXT: '1' } },
  { name: 'empty value', text: 'EMPTY=\nB=2', expected: { EMPTY: '', B: '2' } },
  { name: 'unterminated quote stays as written', text: 'A="abc', expected: { A: '"abc' } },
  { name: 'later definition wins', text: 'A=1\nA=2', expected: { A: '2' } },
  { name: 'lines without = are ignored', text: 'garbage\nA=1', expected: { A: '1' } },
  { name: 'dotted and dashed keys', text: 'db.user-name=sa', expected: { 'db.user-name': 'sa' } },
];

for (const { name, text, expected } of cases) {
  test(`parseDotenv: ${name}`, () => {
    assert.deepEqual(Object.fromEntries(parseDotenv(text)), expected);
  });
}
