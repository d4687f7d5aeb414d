import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { RequestTemplate } from '../../../src/core/model/request';
import { sourceRange as range } from '../../../src/core/model/source';
import { completeRequestFileSchema } from '../../../src/core/parse/directiveContributions';
import { multipartBoundary, parseYamlRequestFile, yamlKnownKeys } from '../../../src/core/parse/yamlParser';

const lines = (...text: string[]): string => text.join('\n') + '\n';

/** Parses a file expected to hold exactly one request and no diagnostics. */
function onlyRequest(text: string): RequestTemplate {
  const parsed = parseYamlRequestFile(text);
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.requests.length, 1);
  return parsed.requests[0];
}

const headerPairs = (request: RequestTemplate) => request.headers.map((header) => [header.name, header.value]);
const bodyWithoutRanges = (request: RequestTemplate) => request.body?.map(({ range: _range, ...segment }) => segment);

describe('parseYamlRequestFile: method, url, headers, name', () => {
  const cases = [
    {
      name: 'shorthand METHOD: url',
      text: lines('requests:', '  - DELETE: http://x/items/1'),
      expected: { method: 'DELETE', url: 'http://x/items/1', headers: [], name: undefined, title: undefined },
    },
    {
      name: 'long form; the method is upper-cased',
      text: lines('requests:', '  - method: propfind', '    url: http://x/dav'),
      expected: { method: 'PROPFIND', url: 'http://x/dav', headers: [], name: undefined, title: undefined },
    },
    {
      name: 'url alone is GET',
      text: lines('requests:', '  - url: http://x/'),
      expected: { method: 'GET', url: 'http://x/', headers: [], name: undefined, title: undefined },
    },
    {
      name: 'an identifier name is the chaining name',
      text: lines('requests:', '  - name: get-me_2', '    GET: http://x/me'),
      expected: { method: 'GET', url: 'http://x/me', headers: [], name: 'get-me_2', title: undefined },
    },
    {
      name: 'any other name is a title',
      text: lines('requests:', '  - name: Fetch the user', '    GET: http://x/me'),
      expected: { method: 'GET', url: 'http://x/me', headers: [], name: undefined, title: 'Fetch the user' },
    },
    {
      name: 'headers keep case, numbers as written, lists repeat the header',
      text: lines(
        'requests:',
        '  - GET: http://x/',
        '    headers:',
        '      X-Version: 1.10',
        '      Accept: [text/html, "application/json"]',
        '      X-Empty:',
      ),
      expected: {
        method: 'GET',
        url: 'http://x/',
        headers: [
          ['X-Version', '1.10'],
          ['Accept', 'text/html'],
          ['Accept', 'application/json'],
          ['X-Empty', ''],
        ],
        name: undefined,
        title: undefined,
      },
    },
  ];
  for (const { name, text, expected } of cases) {
    it(name, () => {
      const request = onlyRequest(text);
      assert.deepEqual(
        { method: request.method, url: request.url, headers: headerPairs(request), name: request.name, title: request.title },
        expected,
      );
    });
  }
});

describe('parseYamlRequestFile: body kinds', () => {
  const cases = [
    {
      name: 'json: any YAML value as JSON, Content-Type added',
      text: lines('requests:', '  - POST: http://x/', '    json:', '      id: 1', '      tags: [a, "{{tag}}"]', '      ok: null'),
      headers: [['Content-Type', 'application/json']],
      body: [{ kind: 'text', text: JSON.stringify({ id: 1, tags: ['a', '{{tag}}'], ok: null }, null, 2) }],
    },
    {
      name: 'json: anchors and aliases are expanded',
      text: lines('requests:', '  - POST: http://x/', '    json:', '      a: &shared {n: 1}', '      b: *shared'),
      headers: [['Content-Type', 'application/json']],
      body: [{ kind: 'text', text: JSON.stringify({ a: { n: 1 }, b: { n: 1 } }, null, 2) }],
    },
    {
      name: 'json: a written Content-Type wins (any case)',
      text: lines('requests:', '  - POST: http://x/', '    headers:', '      content-type: application/merge-patch+json', '    json: [1]'),
      headers: [['content-type', 'application/merge-patch+json']],
      body: [{ kind: 'text', text: '[\n  1\n]' }],
    },
    {
      name: 'form: literals encoded now, references kept for encoding after substitution',
      text: lines(
        'requests:',
        '  - POST: http://x/login',
        '    form:',
        '      user name: a&b=c',
        '      password: "{{password}}"',
        '      note: x {{a}}+y',
        '      tag: [one, two]',
        '      empty:',
      ),
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: [
        {
          kind: 'text',
          text: 'user+name=a%26b%3Dc&password={{password}}&note=x+{{a}}%2By&tag=one&tag=two&empty=',
          encodeSubstitutions: 'form-urlencoded',
        },
      ],
    },
    {
      name: 'text: sent as written, no Content-Type',
      text: lines('requests:', '  - POST: http://x/', '    text: |', '      <ping id="{{id}}"/>', '      <end/>'),
      headers: [],
      body: [{ kind: 'text', text: '<ping id="{{id}}"/>\n<end/>\n' }],
    },
    {
      name: 'file: a path is sent verbatim',
      text: lines('requests:', '  - PUT: http://x/', '    file: ./body.bin'),
      headers: [],
      body: [{ kind: 'file', path: './body.bin', substitute: false }],
    },
    {
      name: 'file: path with substitute',
      text: lines('requests:', '  - PUT: http://x/', '    file:', '      path: ./body.json', '      substitute: true'),
      headers: [],
      body: [{ kind: 'file', path: './body.json', substitute: true }],
    },
    {
      name: 'multipart: value and file parts with a fixed boundary',
      text: lines(
        'requests:',
        '  - POST: http://x/upload',
        '    multipart:',
        '      - name: title',
        '        value: Report {{n}}',
        '      - name: doc',
        '        file: ./dir/report.pdf',
        '        contentType: application/pdf',
        '      - name: "say \\"hi\\""',
        '        value: "{\\"a\\": 1}"',
        '        filename: a.json',
        '        contentType: application/json',
        '      - name: raw',
        '        file: { path: ./t.txt, substitute: true }',
        '        filename: renamed.txt',
      ),
      headers: [['Content-Type', `multipart/form-data; boundary=${multipartBoundary}`]],
      body: [
        {
          kind: 'text',
          text: `--${multipartBoundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nReport {{n}}`,
        },
        {
          kind: 'text',
          text:
            `\r\n--${multipartBoundary}\r\nContent-Disposition: form-data; name="doc"; filename="report.pdf"\r\n` +
            'Content-Type: application/pdf\r\n\r\n',
        },
        { kind: 'file', path: './dir/report.pdf', substitute: false },
        {
          kind: 'text',
          text:
            `\r\n--${multipartBoundary}\r\nContent-Disposition: form-data; name="say %22hi%22"; filename="a.json"\r\n` +
            'Content-Type: application/json\r\n\r\n{"a": 1}',
        },
        {
          kind: 'text',
          text:
            `\r\n--${multipartBoundary}\r\nContent-Disposition: form-data; name="raw"; filename="renamed.txt"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        },
        { kind: 'file', path: './t.txt', substitute: true },
        { kind: 'text', text: `\r\n--${multipartBoundary}--\r\n` },
      ],
    },
  ];
  for (const { name, text, headers, body } of cases) {
    it(name, () => {
      const request = onlyRequest(text);
      assert.deepEqual(headerPairs(request), headers);
      assert.deepEqual(bodyWithoutRanges(request), body);
    });
  }

  it('no body kind, no body', () => {
    assert.equal(onlyRequest(lines('requests:', '  - GET: http://x/')).body, undefined);
  });
});

describe('parseYamlRequestFile: options as directives', () => {
  const cases = [
    {
      name: 'every option',
      options: [
        'redirect: false',
        'cookieJar: false',
        'timeout: 5s',
        'connectionTimeout: 2s',
        'log: false',
        'autoEncoding: false',
        'session: admin',
        'csrf: off',
      ],
      directives: {
        noRedirect: true,
        noCookieJar: true,
        timeoutMs: 5000,
        connectionTimeoutMs: 2000,
        noLog: true,
        noAutoEncoding: true,
        session: 'admin',
        csrf: 'off',
      },
    },
    { name: 'true keeps the default behaviour', options: ['redirect: true', 'csrf: auto'], directives: { noRedirect: false, csrf: 'auto' } },
    { name: 'a number is seconds, as in .http files', options: ['timeout: 30', 'connectionTimeout: 1.5'], directives: { timeoutMs: 30_000, connectionTimeoutMs: 1500 } },
    { name: 'ms unit', options: ['timeout: 500ms'], directives: { timeoutMs: 500 } },
    { name: 'minutes, with a space', options: ['timeout: 2 m'], directives: { timeoutMs: 120_000 } },
    { name: 'fractional seconds', options: ['connectionTimeout: "1.5s"'], directives: { connectionTimeoutMs: 1500 } },
    { name: 'none', options: [], directives: {} },
  ];
  for (const { name, options, directives } of cases) {
    it(name, () => {
      const request = onlyRequest(lines('requests:', '  - GET: http://x/', ...options.map((option) => `    ${option}`)));
      assert.deepEqual(request.directives, directives);
      assert.deepEqual(request.handlers, []);
    });
  }

  it('a bare number of 1000 or more, likely milliseconds from before, is read as seconds with a warning at the value', () => {
    const parsed = parseYamlRequestFile(lines('requests:', '  - GET: http://x/', '    timeout: 5000', '    connectionTimeout: 999', '  - GET: http://y/', '    timeout: "1500"', '    connectionTimeout: 2000ms'));
    assert.deepEqual(
      parsed.requests.map((request) => request.directives),
      [{ timeoutMs: 5_000_000, connectionTimeoutMs: 999_000 }, { timeoutMs: 1_500_000, connectionTimeoutMs: 2000 }],
    );
    assert.deepEqual(
      parsed.diagnostics.map((d) => [d.code, d.severity, d.range, d.message]),
      [
        ['duration-in-seconds', 'warning', range(2, 13, 2, 17), '`timeout: 5000` is 5000 seconds: a bare number is seconds. Write `5000ms` for milliseconds.'],
        ['duration-in-seconds', 'warning', range(5, 13, 5, 19), '`timeout: 1500` is 1500 seconds: a bare number is seconds. Write `1500ms` for milliseconds.'],
      ],
    );
  });
});

describe('parseYamlRequestFile: file variables', () => {
  it('reads names, values as written and their references', () => {
    const parsed = parseYamlRequestFile(
      lines('variables:', '  host: http://localhost:8080', '  port: 08080', '  base: "{{host}}/api"', '  empty:', 'requests: []'),
    );
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(parsed.fileVariables, [
      { name: 'host', value: 'http://localhost:8080', range: range(1, 2, 1, 29), variableReferences: [] },
      { name: 'port', value: '08080', range: range(2, 2, 2, 13), variableReferences: [] },
      {
        name: 'base',
        value: '{{host}}/api',
        range: range(3, 2, 3, 22),
        variableReferences: [{ expression: 'host', range: range(3, 9, 3, 17) }],
      },
      { name: 'empty', value: '', range: range(4, 2, 4, 8), variableReferences: [] },
    ]);
  });
});

describe('parseYamlRequestFile: positions', () => {
  const text = lines(
    /* 0 */ 'variables:',
    /* 1 */ '  host: http://localhost',
    /* 2 */ 'requests:',
    /* 3 */ '  - name: login',
    /* 4 */ '    POST: "{{host}}/login"',
    /* 5 */ '    headers:',
    /* 6 */ "      X-Note: 'it''s {{ who }}'",
    /* 7 */ '    text: |',
    /* 8 */ '      line {{a}}',
    /* 9 */ '        {{b}} end',
    /* 10 */ '  -   url: https://{{host}}/x',
    /* 11 */ '      method: PUT',
    /* 12 */ '      json: {k: "\\u0041{{c}}", "{{key}}": "v {{d}}"}',
    /* 13 */ '  - GET: "{{h\\u006fst}}"',
  );
  const parsed = parseYamlRequestFile(text);

  it('parses without diagnostics', () => {
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(parsed.requests.length, 3);
  });

  it('request ranges: the whole item from its dash; the request line is the METHOD or url entry', () => {
    assert.deepEqual(
      parsed.requests.map((request) => [request.range, request.requestLineRange]),
      [
        [range(3, 2, 9, 17), range(4, 4, 4, 26)],
        [range(10, 2, 12, 52), range(10, 6, 10, 29)],
        [range(13, 2, 13, 24), range(13, 4, 13, 24)],
      ],
    );
  });

  it('header ranges span name to value', () => {
    assert.deepEqual(
      parsed.requests[0].headers.map((header) => [header.name, header.value, header.range]),
      [['X-Note', "it's {{ who }}", range(6, 6, 6, 31)]],
    );
  });

  it('references sit exactly where they are written (escapes before them, plain, block and flow scalars, keys)', () => {
    assert.deepEqual(parsed.requests[0].variableReferences, [
      { expression: 'host', range: range(4, 11, 4, 19) },
      { expression: 'who', range: range(6, 21, 6, 30) },
      { expression: 'a', range: range(8, 11, 8, 16) },
      { expression: 'b', range: range(9, 8, 9, 13) },
    ]);
    assert.deepEqual(parsed.requests[1].variableReferences, [
      { expression: 'host', range: range(10, 19, 10, 27) },
      { expression: 'c', range: range(12, 23, 12, 28) },
      { expression: 'key', range: range(12, 32, 12, 39) },
      { expression: 'd', range: range(12, 45, 12, 50) },
    ]);
  });

  it('an escape inside the braces falls back to the whole scalar', () => {
    assert.equal(parsed.requests[2].url, '{{host}}');
    assert.deepEqual(parsed.requests[2].variableReferences, [{ expression: 'host', range: range(13, 9, 13, 24) }]);
  });

  it('body segment ranges point at the body value', () => {
    assert.deepEqual(
      parsed.requests.map((request) => request.body?.map((segment) => segment.range)),
      [[range(7, 10, 9, 17)], [range(12, 12, 12, 52)], undefined],
    );
  });
});

describe('parseYamlRequestFile: diagnostics', () => {
  const cases = [
    {
      name: 'a YAML syntax error leaves the other requests',
      text: lines('requests:', '  - GET: http://a', '  - POST: http://b', '     headers: x', '  - GET: http://c'),
      diagnostics: [
        [2, 10, 'error', 'yaml-syntax'],
        [2, 10, 'error', 'yaml-syntax'],
        [2, 10, 'error', 'invalid-type'],
      ],
      urls: ['http://a', 'http://c'],
    },
    {
      name: 'an unclosed flow map is reported where YAML notices it',
      text: lines('requests:', '  - GET: http://a', '  - POST: http://b', '    json: {a: 1', '  - GET: http://c'),
      diagnostics: [[4, 2, 'error', 'yaml-syntax']],
      urls: ['http://a', 'http://b', 'http://c'],
    },
    {
      name: 'duplicate keys and a second document',
      text: lines('requests:', '  - GET: http://a', '    GET: http://b', '---', 'x: 1'),
      diagnostics: [
        [2, 4, 'error', 'yaml-syntax'],
        [3, 0, 'error', 'yaml-syntax'],
      ],
      urls: ['http://b'],
    },
    {
      name: 'unknown keys warn, with a suggestion when close',
      text: lines(
        'requests:',
        '  - get: http://a',
        '    url: http://a',
        '    header: {A: b}',
        '    timout: 5s',
        '    frobnicate: 1',
        'request: []',
      ),
      diagnostics: [
        [1, 4, 'warning', 'unknown-key', 'Did you mean `GET`?'],
        [3, 4, 'warning', 'unknown-key', 'Did you mean `headers`?'],
        [4, 4, 'warning', 'unknown-key', 'Did you mean `timeout`?'],
        [5, 4, 'warning', 'unknown-key', 'Known keys: name, method, url'],
        [6, 0, 'warning', 'unknown-key', 'Did you mean `requests`?'],
      ],
      urls: ['http://a'],
    },
    {
      name: 'two body kinds: the second is reported, the first is kept',
      text: lines('requests:', '  - POST: http://a', '    text: hi', '    json: {}'),
      diagnostics: [[3, 4, 'error', 'conflicting-keys', 'A request has one body']],
      urls: ['http://a'],
    },
    {
      name: 'two methods, or a method with url',
      text: lines('requests:', '  - GET: http://a', '    POST: http://b', '  - PUT: http://c', '    url: http://d'),
      diagnostics: [
        [2, 4, 'error', 'conflicting-keys'],
        [4, 4, 'error', 'conflicting-keys'],
      ],
      urls: ['http://a', 'http://c'],
    },
    {
      name: 'a missing url skips that request only',
      text: lines('requests:', '  - name: nothing', '    text: hi', '  - GET: http://b', '  - GET: ""', '  - {}'),
      diagnostics: [
        [1, 4, 'error', 'missing-url'],
        [4, 9, 'error', 'missing-url'],
        [5, 4, 'error', 'missing-url'],
      ],
      urls: ['http://b'],
    },
    {
      name: 'wrong types and values point at the value',
      text: lines(
        'requests:',
        '  - GET: [http://a]',
        '  - GET: http://b',
        '    headers: [A]',
        '    redirect: "no"',
        '    timeout: soon',
        '    csrf: maybe',
        '    session: ""',
        '  - POST: http://c',
        '    form: [a]',
        '  - POST: http://d',
        '    file: {substitute: yes}',
        '  - just a string',
      ),
      diagnostics: [
        [1, 9, 'error', 'invalid-type'],
        [3, 13, 'error', 'invalid-type'],
        [4, 14, 'error', 'invalid-type'],
        [5, 13, 'error', 'invalid-value'],
        [6, 10, 'error', 'invalid-value'],
        [7, 13, 'error', 'invalid-value'],
        [9, 10, 'error', 'invalid-type'],
        [11, 4, 'error', 'missing-key'],
        [12, 4, 'error', 'invalid-type'],
      ],
      urls: ['http://b', 'http://c', 'http://d'],
    },
    {
      name: 'file-level shapes',
      text: lines('variables: [a]', 'requests: {GET: http://a}'),
      diagnostics: [
        [0, 11, 'error', 'invalid-type'],
        [1, 10, 'error', 'invalid-type'],
      ],
      urls: [],
    },
    {
      name: 'an unquoted value starting with {{ gets a hint to quote it',
      text: lines('requests:', '  - GET: {{host}}/x', '  - GET: http://b'),
      diagnostics: [
        [1, 9, 'error', 'invalid-type', 'Quote `GET` (the URL)'],
        [1, 17, 'error', 'yaml-syntax'],
      ],
      urls: ['http://b'],
    },
    {
      name: 'the file is not a map',
      text: lines('- GET: http://a'),
      diagnostics: [[0, 0, 'error', 'invalid-type']],
      urls: [],
    },
    {
      name: 'multipart parts: name, value or file',
      text: lines(
        'requests:',
        '  - POST: http://a',
        '    headers:',
        '      Content-Type: multipart/mixed',
        '    multipart:',
        '      - value: x',
        '      - name: b',
        '      - name: c',
        '        value: x',
        '        file: ./y',
        '      - name: d',
        '        value: ok',
      ),
      diagnostics: [
        [3, 6, 'warning', 'ignored-header'],
        [5, 8, 'error', 'missing-key'],
        [6, 8, 'error', 'missing-key'],
        [9, 8, 'error', 'conflicting-keys'],
      ],
      urls: ['http://a'],
    },
    {
      name: 'unterminated references and duplicate names warn',
      text: lines('requests:', '  - name: a', '    GET: http://x/{{id', '  - name: a', '    GET: http://y/'),
      diagnostics: [
        [2, 18, 'warning', 'unterminated-variable'],
        [4, 4, 'warning', 'duplicate-name'],
      ],
      urls: ['http://x/{{id', 'http://y/'],
    },
  ];
  for (const { name, text, diagnostics, urls } of cases) {
    it(name, () => {
      const parsed = parseYamlRequestFile(text);
      assert.deepEqual(
        parsed.diagnostics.map((diagnostic) => [
          diagnostic.range.startLine,
          diagnostic.range.startColumn,
          diagnostic.severity,
          diagnostic.code,
        ]),
        diagnostics.map((expected) => expected.slice(0, 4)),
      );
      diagnostics.forEach((expected, index) => {
        if (expected[4] !== undefined) assert.match(parsed.diagnostics[index].message, new RegExp(escapeRegExp(String(expected[4]))));
      });
      assert.deepEqual(
        parsed.requests.map((request) => request.url),
        urls,
      );
    });
  }

  it('never throws, even on every truncation of a valid file', () => {
    const sample = readFileSync(new URL('../../fixtures/yaml/sample.http.yaml', import.meta.url), 'utf8');
    for (let end = 0; end <= sample.length; end++) {
      assert.doesNotThrow(() => parseYamlRequestFile(sample.slice(0, end)), `truncated at ${end}`);
    }
  });

  it('an empty file is no requests and no problems', () => {
    assert.deepEqual(parseYamlRequestFile(''), { requests: [], fileVariables: [], diagnostics: [] });
    assert.deepEqual(parseYamlRequestFile('# only a comment\n'), { requests: [], fileVariables: [], diagnostics: [] });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('JSON Schema (schemas/http-session.schema.base.json completed from the directive table)', () => {
  interface SchemaNode {
    properties?: Record<string, SchemaNode & { examples?: unknown[] }>;
    oneOf?: SchemaNode[];
    examples?: unknown[];
    definitions?: Record<string, SchemaNode>;
    $schema?: string;
  }
  const base = JSON.parse(readFileSync(new URL('../../../schemas/http-session.schema.base.json', import.meta.url), 'utf8')) as Parameters<typeof completeRequestFileSchema>[0];
  const schema = completeRequestFileSchema(base) as SchemaNode;
  const definitions = schema.definitions ?? {};
  const objectProperties = (node: SchemaNode | undefined): string[] =>
    Object.keys(node?.properties ?? node?.oneOf?.find((branch) => branch.properties)?.properties ?? {});

  it('is draft-07', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  const keyLists = [
    { map: 'file', schemaKeys: objectProperties(schema), parserKeys: yamlKnownKeys.file },
    { map: 'request', schemaKeys: objectProperties(definitions.request), parserKeys: yamlKnownKeys.request },
    { map: 'multipartPart', schemaKeys: objectProperties(definitions.multipartPart), parserKeys: yamlKnownKeys.multipartPart },
    { map: 'fileReference', schemaKeys: objectProperties(definitions.fileReference), parserKeys: yamlKnownKeys.fileReference },
  ];
  for (const { map, schemaKeys, parserKeys } of keyLists) {
    it(`lists exactly the keys the parser accepts in a ${map}`, () => {
      assert.deepEqual([...schemaKeys].sort(), [...parserKeys].sort());
    });
  }

  it('documents every property with a description', () => {
    const undocumented: string[] = [];
    const visit = (node: SchemaNode, path: string): void => {
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        if (!('description' in property)) undocumented.push(`${path}.${key}`);
        visit(property, `${path}.${key}`);
      }
      node.oneOf?.forEach((branch, index) => visit(branch, `${path}.oneOf[${index}]`));
    };
    visit(schema, '$');
    for (const [name, definition] of Object.entries(definitions)) visit(definition, name);
    assert.deepEqual(undocumented, []);
  });

  // Each example, placed where it belongs in a file, must parse cleanly.
  const requestAround = (key: string, value: unknown): Record<string, unknown> =>
    key === 'url' || /^[A-Z]+$/.test(key) ? { [key]: value }
      : { url: 'http://example.test/', [key]: value };
  const files: { where: string; file: unknown }[] = [
    ...(schema.examples ?? []).map((file, index) => ({ where: `file example ${index}`, file })),
    ...Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
      (property.examples ?? []).map((value) => ({ where: `${key} example`, file: { [key]: value } })),
    ),
    ...(definitions.request.examples ?? []).map((request, index) => ({ where: `request example ${index}`, file: { requests: [request] } })),
    ...Object.entries(definitions.request.properties ?? {}).flatMap(([key, property]) =>
      (property.examples ?? []).map((value) => ({ where: `request.${key} example`, file: { requests: [requestAround(key, value)] } })),
    ),
    ...(definitions.duration.examples ?? []).map((value) => ({ where: 'duration example', file: { requests: [requestAround('timeout', value)] } })),
    ...(definitions.fileReference.examples ?? []).map((value) => ({ where: 'fileReference example', file: { requests: [requestAround('file', value)] } })),
    ...(definitions.multipartPart.examples ?? []).map((value) => ({ where: 'multipartPart example', file: { requests: [requestAround('multipart', [value])] } })),
    ...Object.entries(definitions.multipartPart.properties ?? {}).flatMap(([key, property]) =>
      (property.examples ?? []).map((value) => ({
        where: `multipartPart.${key} example`,
        file: { requests: [requestAround('multipart', [{ name: 'n', ...(key === 'file' ? {} : { value: 'v' }), [key]: value }])] },
      })),
    ),
  ];

  it('has examples everywhere this test places them', () => {
    assert.ok(files.length >= 40, `only ${files.length} examples`);
  });

  for (const { where, file } of files) {
    it(`${where} parses with no diagnostics`, () => {
      const parsed = parseYamlRequestFile(stringify(file));
      assert.deepEqual(parsed.diagnostics, []);
    });
  }

  it('the sample file parses with no diagnostics', () => {
    const parsed = parseYamlRequestFile(readFileSync(new URL('../../fixtures/yaml/sample.http.yaml', import.meta.url), 'utf8'));
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(
      parsed.requests.map((request) => [request.name ?? request.title, request.method]),
      [
        ['login', 'POST'],
        ['me', 'GET'],
        ['Create an item', 'POST'],
        ['upload', 'POST'],
        [undefined, 'PROPFIND'],
        [undefined, 'PUT'],
      ],
    );
    assert.deepEqual(
      parsed.fileVariables.map((variable) => variable.name),
      ['host', 'password'],
    );
  });
});

describe('prompt', () => {
  it('asks for one variable, or for each of a list', () => {
    const parsed = parseYamlRequestFile(['requests:', '  - GET: /a/{{id}}', '    prompt: id The order', '  - GET: /b', '    prompt: [user, password Your password]', ''].join('\n'));
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(
      parsed.requests.map((request) => request.directives.prompts),
      [[{ name: 'id', description: 'The order' }], [{ name: 'user' }, { name: 'password', description: 'Your password' }]],
    );
  });

  it('refuses a prompt that names no variable, at its value', () => {
    const parsed = parseYamlRequestFile(['requests:', '  - GET: /a', '    prompt: [ok, 42]', ''].join('\n'));
    assert.deepEqual(
      parsed.diagnostics.map((d) => [d.range.startLine, d.code, d.message]),
      [[2, 'invalid-value', '`prompt` needs a variable name, then the question if you like: `orderId The order to fetch`.']],
    );
  });
});
