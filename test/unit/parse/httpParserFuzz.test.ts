import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourcePosition, SourceRange } from '../../../src/core/model/source';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { pathologicalHttp as pathological } from '../../support/pathologicalHttp';
import { mulberry32 } from '../../support/seededRandom';

const samples: readonly string[] = [
  `@host = localhost:8080
@base = http://{{host}}/api

### login
# @name login
# @no-redirect
# @timeout 5 s
POST {{base}}/login HTTP/1.1
Content-Type: application/x-www-form-urlencoded

username=admin&password={{password}}

> {%
  client.global.set("token", response.body.token);
%}

### list
GET {{base}}/users
    ?page=1
    &size=20
Accept: application/json
Authorization: Bearer {{login.response.body.$.token}}
`,
  `POST https://example.com/upload
Content-Type: multipart/form-data; boundary=WebAppBoundary

--WebAppBoundary
Content-Disposition: form-data; name="meta"

{"user": "{{user}}"}
--WebAppBoundary
Content-Disposition: form-data; name="f"; filename="a.txt"

< ./a.txt
--WebAppBoundary--
>> out.json
###
POST /soap
Host: example.com
Content-Type: text/xml

<?xml version="1.0"?>
<env:Envelope><x>{{ value }}</x></env:Envelope>
<> ./previous.xml
`,
  `// @session admin
// @csrf auto
PATCH http://localhost:8080/items/{{$randomInt 1 10}}
X-Long: one
  two
If-Match: "abc"

<@latin1 ./patch.json
###
< {%
  request.variables.set("a", "1")
%}
GET /x
> ./check.js
>>! out/{{name}}.txt
`,
];

const fragments = ['{{', '}}', '{%', '%}', '###', '#', '//', '< ', '<@ ', '> ', '>> ', '<>', '@', '=', ':', ' ', '\t', '\r', '\n', '\r\n', 'HTTP/', 'GET ', '{{{', '\uFEFF', '\u00e9', '\ud800'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A realistic sample with a few line-level and character-level mutations. */
function mutate(random: () => number, text: string): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(random() * 6);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 8)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, lines[Math.floor(random() * lines.length)] ?? '');
        break;
      case 2:
        lines.splice(at, 0, pick(random, fragments) + pick(random, fragments));
        break;
      case 3: {
        const line = lines[at] ?? '';
        const column = Math.floor(random() * (line.length + 1));
        lines[at] = line.slice(0, column) + pick(random, fragments) + line.slice(column);
        break;
      }
      case 4: {
        const line = lines[at] ?? '';
        const column = Math.floor(random() * (line.length + 1));
        lines[at] = line.slice(0, column) + String.fromCharCode(Math.floor(random() * 0x3000)) + line.slice(column + 1);
        break;
      }
      case 5:
        lines[at] = (lines[at] ?? '').slice(0, Math.floor(random() * 10));
        break;
      case 6:
        lines.splice(at, 0, ...lines.slice(0, Math.floor(random() * lines.length)));
        break;
      default:
        lines[at] = `  ${lines[at] ?? ''}`;
    }
  }
  let joined = '';
  for (let index = 0; index < lines.length; index++) joined += lines[index] + (index < lines.length - 1 ? pick(random, ['\n', '\n', '\r\n', '\r']) : '');
  return joined;
}

function randomText(random: () => number): string {
  const parts: string[] = [];
  const count = Math.floor(random() * 200);
  for (let index = 0; index < count; index++) {
    parts.push(random() < 0.5 ? pick(random, fragments) : String.fromCharCode(32 + Math.floor(random() * 95)));
  }
  return parts.join('');
}


/** Checks every range in the result lies inside the text and is not reversed. */
function assertRangesInside(value: unknown, lineLengths: readonly number[], input: string): void {
  if (Array.isArray(value)) {
    for (const item of value) assertRangesInside(item, lineLengths, input);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if ('startLine' in value) {
    const range = value as SourceRange;
    const start = { line: range.startLine, column: range.startColumn };
    const end = { line: range.endLine, column: range.endColumn };
    assertPositionInside(start, lineLengths, input);
    assertPositionInside(end, lineLengths, input);
    assert.ok(start.line < end.line || (start.line === end.line && start.column <= end.column), `reversed range in ${JSON.stringify(input)}`);
  }
  for (const child of [...Object.values(value), ...readOnDemand(value)]) assertRangesInside(child, lineLengths, input);
}

/** The values of the getters on a parser-made object's class (ranges and references it makes when first read). */
function readOnDemand(value: object): unknown[] {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return [];
  return Object.entries(Object.getOwnPropertyDescriptors(prototype))
    .filter(([, descriptor]) => descriptor.get !== undefined)
    .map(([key]) => (value as Record<string, unknown>)[key]);
}

function assertPositionInside(position: SourcePosition, lineLengths: readonly number[], input: string): void {
  assert.ok(position.line >= 0 && position.line < lineLengths.length, `line ${position.line} outside ${JSON.stringify(input)}`);
  assert.ok(position.column >= 0 && position.column <= lineLengths[position.line], `column ${position.column} outside line ${position.line} of ${JSON.stringify(input)}`);
}

function lineLengthsOf(text: string): number[] {
  const lengths = text.split(/\r\n|\r|\n/).map((line) => line.length);
  if (text.startsWith('\uFEFF')) lengths[0] -= 1;
  return lengths;
}

// Speed (linear time on pathological inputs included) is measured in bench/parseBench.ts, not asserted here.
test('the parser never throws and keeps ranges inside the text', () => {
  const random = mulberry32(0x5eed);
  const corpus: string[] = [...pathological, ...samples];
  for (let index = 0; index < 3000; index++) corpus.push(random() < 0.8 ? mutate(random, pick(random, samples)) : randomText(random));
  for (const input of corpus) {
    const parsed = parseHttpFile(input);
    assertRangesInside(parsed, lineLengthsOf(input), input.length > 300 ? `${input.slice(0, 300)}…` : input);
  }
});
