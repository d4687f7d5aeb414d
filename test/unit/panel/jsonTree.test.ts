import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkRanges, parseJsonTree, JsonSyntaxError, type JsonNode } from '../../../src/shared/panel/jsonTree';
import { tokenizeMarkup } from '../../../src/shared/panel/markup';

/** Back to a plain value, with numbers as their source text, to compare trees simply. */
function plain(node: JsonNode): unknown {
  if (node.type === 'object') return Object.fromEntries(node.entries.map(([k, v]) => [k, plain(v)]));
  if (node.type === 'array') return node.items.map(plain);
  return node.raw;
}

describe('JSON tree', () => {
  test('keeps the source text of keys and primitives (big numbers stay exact)', () => {
    const tree = parseJsonTree(' {"a": 12345678901234567890, "b\\"q": ["x\\\\", -1.5e+3, true, null, {}], "c": []} ');
    assert.deepEqual(plain(tree), { '"a"': '12345678901234567890', '"b\\"q"': ['"x\\\\"', '-1.5e+3', 'true', 'null', {}], '"c"': [] });
  });
  test('top-level primitives', () => {
    assert.deepEqual(plain(parseJsonTree('"s"')), '"s"');
    assert.deepEqual(plain(parseJsonTree('0')), '0');
  });
  const invalid = ['', '{', '[1,]', '{"a" 1}', '{"a":1,}', '01', '1.', 'tru', '[1] x', '{"a":1}}', '"unterminated', '[1 2]', '{1:2}'];
  for (const text of invalid) {
    test(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseJsonTree(text), JsonSyntaxError));
  }
  test('deep nesting does not overflow the stack', () => {
    const depth = 100_000;
    const tree = parseJsonTree('['.repeat(depth) + ']'.repeat(depth));
    assert.equal(tree.type, 'array');
  });
  test('chunks', () => assert.deepEqual(chunkRanges(250, 100), [[0, 100], [100, 200], [200, 250]]));
});

describe('markup tokenizer', () => {
  const source = '<?xml version="1.0"?><!DOCTYPE x><a href=\'javascript:alert(1)\' b=c/><!-- c --><![CDATA[<x>]]>text &amp; <b>x</b><img src=x onerror="alert(1)"> 1 < 2';
  test('tokens concatenate back to the input', () => {
    assert.equal(tokenizeMarkup(source).map((t) => t.text).join(''), source);
  });
  test('token kinds', () => {
    const tokens = tokenizeMarkup('<a href="x" b=c>t</a><!--k-->');
    assert.deepEqual(tokens.map((t) => `${t.kind}:${t.text}`), ['punct:<', 'tag:a', 'text: ', 'attr:href', 'punct:=', 'value:"x"', 'text: ', 'attr:b', 'punct:=', 'value:c', 'punct:>', 'text:t', 'punct:</', 'tag:a', 'punct:>', 'comment:<!--k-->']);
  });
});
