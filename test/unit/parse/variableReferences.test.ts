import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findReferenceSpans, findVariableReferences } from '../../../src/core/parse/variableReferences';
import { lineRange, sourceRange } from '../../../src/core/model/source';

const ref = (expression: string, line: number, start: number, endLine: number, end: number) => ({
  expression,
  range: sourceRange(line, start, endLine, end),
});

describe('findVariableReferences', () => {
  const cases = [
    { name: 'none', text: 'plain text', origin: { line: 0, column: 0 }, references: [], unterminated: [] },
    {
      name: 'one, offset by the origin column',
      text: 'a {{host}}/x',
      origin: { line: 3, column: 10 },
      references: [ref('host', 3, 12, 3, 20)],
      unterminated: [],
    },
    {
      name: 'spaces inside the braces are trimmed',
      text: '{{ $randomInt 1 9 }}{{b}}',
      origin: { line: 0, column: 0 },
      references: [ref('$randomInt 1 9', 0, 0, 0, 20), ref('b', 0, 20, 0, 25)],
      unterminated: [],
    },
    {
      name: 'later lines start at column 0',
      text: 'x {{a}}\n  {{b}}\r\n{{c}}\r{{d}}',
      origin: { line: 5, column: 4 },
      references: [ref('a', 5, 6, 5, 11), ref('b', 6, 2, 6, 7), ref('c', 7, 0, 7, 5), ref('d', 8, 0, 8, 5)],
      unterminated: [],
    },
    {
      name: 'a reference does not span lines',
      text: '{{a\n}} {{b}}',
      origin: { line: 0, column: 0 },
      references: [ref('b', 1, 3, 1, 8)],
      unterminated: [{ line: 0, column: 0 }],
    },
    {
      name: 'a second {{ before }} leaves the first unterminated',
      text: '{{a {{b}}',
      origin: { line: 0, column: 2 },
      references: [ref('b', 0, 6, 0, 11)],
      unterminated: [{ line: 0, column: 2 }],
    },
    {
      name: 'braces of a JSON object around a reference',
      text: '{"a":{{{id}}}}',
      origin: { line: 0, column: 0 },
      references: [ref('id', 0, 6, 0, 12)],
      unterminated: [],
    },
    {
      name: 'empty expression',
      text: '{{}}',
      origin: { line: 1, column: 1 },
      references: [ref('', 1, 1, 1, 5)],
      unterminated: [],
    },
  ];
  for (const { name, text, origin, references, unterminated } of cases) {
    it(name, () => {
      assert.deepEqual(findVariableReferences(text, origin), { references, unterminated });
    });
  }
});

describe('findReferenceSpans', () => {
  it('gives string offsets of whole references', () => {
    const text = 'a={{x}}&b={{ y }}&c={{z';
    assert.deepEqual(findReferenceSpans(text), {
      spans: [
        { start: 2, end: 7, expression: 'x' },
        { start: 10, end: 17, expression: 'y' },
      ],
      unterminated: [20],
    });
  });
});

describe('findVariableReferences on a long body', () => {
  it('places every reference of a 20,000-line text on its own line (mixed line ends)', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `row ${i}: {{v${i}}}`);
    const text = lines.map((line, i) => line + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')).join('');
    const { references } = findVariableReferences(text, { line: 10, column: 4 });
    assert.equal(references.length, 20_000);
    for (const index of [0, 1, 2, 9_999, 19_999]) {
      const column = `row ${index}: `.length + (index === 0 ? 4 : 0);
      assert.deepEqual(references[index], { expression: `v${index}`, range: lineRange(10 + index, column, column + `{{v${index}}}`.length) });
    }
  });
});
