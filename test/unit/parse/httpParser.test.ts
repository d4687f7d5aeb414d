import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ParsedFile, RequestTemplate } from '../../../src/core/model/request';
import { sourceRange as range } from '../../../src/core/model/source';
import { copyTemplate } from '../../../src/core/model/request';
import { parseHttpFile } from '../../../src/core/parse/httpParser';

/** A request reduced to what the cases compare. */
interface Summary {
  name: string | undefined;
  title: string | undefined;
  method: string;
  url: string;
  httpVersion: string | undefined;
  headers: string[];
  body: string[] | undefined;
  directives: RequestTemplate['directives'];
  handlers: string[];
  preRequestScripts: string[] | undefined;
  references: string[];
}

/** What a case states; fields it leaves out are not compared. */
type RequestSummary = Partial<Summary>;

function summarize(request: RequestTemplate): Summary {
  return {
    name: request.name,
    title: request.title,
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    headers: request.headers.map((header) => `${header.name}: ${header.value}`),
    body: request.body?.map((segment) =>
      segment.kind === 'text' ? `text ${JSON.stringify(segment.text)}` : `file${segment.substitute ? '@' : ''} ${segment.path}`,
    ),
    directives: request.directives,
    handlers: request.handlers.map((handler) => `${handler.kind} ${JSON.stringify(handler.text)}`),
    preRequestScripts: request.preRequestScripts?.map((script) => `${script.kind} ${JSON.stringify(script.text)}@${script.range.startLine}`),
    references: request.variableReferences.map((reference) => reference.expression),
  };
}

/** `code@line severity`, zero-based lines. */
function diagnosticsOf(parsed: ParsedFile): string[] {
  return parsed.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.startLine} ${diagnostic.severity}`);
}

function assertRequests(parsed: ParsedFile, expected: readonly RequestSummary[]): void {
  assert.equal(parsed.requests.length, expected.length, `request count in ${JSON.stringify(parsed.requests.map((r) => r.url))}`);
  parsed.requests.forEach((request, index) => {
    const actual = summarize(request);
    const picked = Object.fromEntries(Object.keys(expected[index]).map((key) => [key, actual[key as keyof Summary]]));
    assert.deepEqual(picked, expected[index], `request ${index}`);
  });
}

interface Case {
  readonly name: string;
  readonly text: string;
  readonly requests: readonly RequestSummary[];
  readonly diagnostics?: readonly string[];
}

const cases: readonly Case[] = [
  // ---- separators, names, titles, comments
  {
    name: 'a bare URL is a GET',
    text: 'https://example.com/a',
    requests: [{ method: 'GET', url: 'https://example.com/a', httpVersion: undefined, headers: [], body: undefined }],
  },
  {
    name: '### separates requests and an identifier title is also the name',
    text: '### login\nPOST /login\n\n###   list users  \nGET /users\n###\nDELETE /x',
    requests: [
      { name: 'login', title: 'login', method: 'POST' },
      { name: undefined, title: 'list users', method: 'GET' },
      { name: undefined, title: undefined, method: 'DELETE' },
    ],
  },
  {
    name: '@name in # and // comments wins over the title',
    text: '### Sign in\n# @name login\nPOST /a\n###\n// @name me\nGET /me',
    requests: [
      { name: 'login', title: 'Sign in' },
      { name: 'me', title: undefined },
    ],
  },
  {
    name: 'empty blocks, leading separators and trailing separators give no request and no error',
    text: '###\n# only a comment\n\n###\n// another\n###\nGET /a\n###\n\n###\n',
    requests: [{ url: '/a' }],
    diagnostics: [],
  },
  {
    name: 'comments among headers are skipped',
    text: 'GET /a\n# a comment\nAccept: */*\n// another\nX-B: 2',
    requests: [{ headers: ['Accept: */*', 'X-B: 2'] }],
  },
  // ---- request line
  {
    name: 'method, URL and HTTP version',
    text: 'POST https://example.com/a HTTP/1.1\n###\nPUT /b HTTP/2\n###\npatch /c',
    requests: [
      { method: 'POST', url: 'https://example.com/a', httpVersion: 'HTTP/1.1' },
      { method: 'PUT', url: '/b', httpVersion: 'HTTP/2' },
      { method: 'PATCH', url: '/c' },
    ],
  },
  {
    name: 'custom uppercase methods',
    text: 'PROPFIND /dav\n###\nPURGE /cache\n###\nM-SEARCH *',
    requests: [
      { method: 'PROPFIND', url: '/dav' },
      { method: 'PURGE', url: '/cache' },
      { method: 'M-SEARCH', url: '*' },
    ],
  },
  {
    name: 'JetBrains indented continuation lines are joined without whitespace',
    text: 'GET http://example.com/api\n    /users\n    ?page=1\n    &size=20 HTTP/1.1\nAccept: x',
    requests: [{ url: 'http://example.com/api/users?page=1&size=20', httpVersion: 'HTTP/1.1', headers: ['Accept: x'] }],
  },
  {
    name: 'REST Client ? and & continuation lines',
    text: 'GET http://example.com/api\n?page=1\n&size={{size}}\n\n',
    requests: [{ url: 'http://example.com/api?page=1&size={{size}}', references: ['size'] }],
  },
  // ---- headers
  {
    name: 'headers keep case, duplicates and {{variables}} in name and value',
    text: 'GET /a\nAccept: application/json\nX-Dup: 1\nx-dup: 2\n{{headerName}}: {{ value }}\nEmpty:',
    requests: [
      {
        headers: ['Accept: application/json', 'X-Dup: 1', 'x-dup: 2', '{{headerName}}: {{ value }}', 'Empty: '],
        references: ['headerName', 'value'],
      },
    ],
  },
  {
    name: 'an indented line after a header continues its value',
    text: 'GET /a\nX-Long: one\n  two\n\ttwo-and-a-half\nX-Next: three',
    requests: [{ headers: ['X-Long: one two two-and-a-half', 'X-Next: three'] }],
  },
  // ---- body
  {
    name: 'the body runs to the next ### with trailing blank lines and whitespace trimmed',
    text: 'POST /a\nContent-Type: application/json\n\n{\n  "a": 1\n}  \n\n\n###\nGET /b',
    requests: [{ body: ['text "{\\n  \\"a\\": 1\\n}"'] }, { body: undefined }],
  },
  {
    name: 'blank lines inside the body are kept',
    text: 'POST /a\n\nline one\n\nline two\n',
    requests: [{ body: ['text "line one\\n\\nline two"'] }],
  },
  {
    name: '# and // lines at a body line\'s start are comments (JetBrains spec 2.4), left out; indented or inside a line they are text',
    text: 'POST /a\n\n# a comment\n{\n// another\n  "#": "x",\n  # kept: indented\n  "u": "http://h"\n}\n# trailing comment\n',
    requests: [{ body: ['text "{\\n"', 'text "  \\"#\\": \\"x\\",\\n  # kept: indented\\n  \\"u\\": \\"http://h\\"\\n}"'] }],
  },
  {
    name: 'file includes: < verbatim, <@ and <@latin1 substituted',
    text: 'POST /a\n\n< ./a.json\n###\nPOST /b\n\n<@ ./b.json\n###\nPOST /c\n\n<@latin1   ./c {{name}}.txt  ',
    requests: [
      { body: ['file ./a.json'] },
      { body: ['file@ ./b.json'] },
      { body: ['file@ ./c {{name}}.txt'], references: ['name'] },
    ],
  },
  {
    name: 'an XML body is not an include',
    text: 'POST /soap\nContent-Type: text/xml\n\n<?xml version="1.0"?>\n<tag attr="1">\n  <inner/>\n</tag>',
    requests: [{ body: ['text "<?xml version=\\"1.0\\"?>\\n<tag attr=\\"1\\">\\n  <inner/>\\n</tag>"'] }],
  },
  {
    name: 'multipart with file parts keeps the text between includes exactly',
    text: [
      'POST /upload',
      'Content-Type: multipart/form-data; boundary=WebAppBoundary',
      '',
      '--WebAppBoundary',
      'Content-Disposition: form-data; name="meta"',
      '',
      '{"user": "{{user}}"}',
      '--WebAppBoundary',
      'Content-Disposition: form-data; name="f"; filename="a.txt"',
      '',
      '< ./a.txt',
      '--WebAppBoundary',
      'Content-Disposition: form-data; name="g"; filename="b.bin"',
      '',
      '< ./b.bin',
      '--WebAppBoundary--',
    ].join('\n'),
    requests: [
      {
        body: [
          'text "--WebAppBoundary\\nContent-Disposition: form-data; name=\\"meta\\"\\n\\n{\\"user\\": \\"{{user}}\\"}\\n--WebAppBoundary\\nContent-Disposition: form-data; name=\\"f\\"; filename=\\"a.txt\\"\\n\\n"',
          'file ./a.txt',
          'text "\\n--WebAppBoundary\\nContent-Disposition: form-data; name=\\"g\\"; filename=\\"b.bin\\"\\n\\n"',
          'file ./b.bin',
          'text "\\n--WebAppBoundary--"',
        ],
        references: ['user'],
      },
    ],
  },
  {
    name: 'adjacent includes keep the line break between them',
    text: 'POST /a\n\n< ./one.txt\n< ./two.txt\n\n',
    requests: [{ body: ['file ./one.txt', 'text "\\n"', 'file ./two.txt'] }],
  },
  // ---- response handlers
  {
    name: 'handlers are kept, in order, and never part of the body',
    text: [
      'POST /a',
      '',
      '{"a": 1}',
      '',
      '> {%',
      '  client.global.set("token", response.body.token);',
      '%}',
      '> ./check.js',
      '>> out/response.json',
      '>>! out/overwrite.json',
      '<> ./previous-response.200.json',
      '###',
      'GET /b',
      '> {% client.test("ok", () => {}) %}',
    ].join('\n'),
    requests: [
      {
        body: ['text "{\\"a\\": 1}"'],
        handlers: [
          'script "\\n  client.global.set(\\"token\\", response.body.token);\\n"',
          'scriptFile "./check.js"',
          'output "out/response.json"',
          'output "out/overwrite.json"',
          'reference "./previous-response.200.json"',
        ],
      },
      { headers: [], body: undefined, handlers: ['script " client.test(\\"ok\\", () => {}) "'] },
    ],
    diagnostics: [],
  },
  {
    name: 'a handler directly after a blank line leaves no body; text after handlers is a warning',
    text: 'GET /a\n\n> {% x %}\n\n# a comment\nstray text\n###\nGET /b',
    requests: [{ body: undefined, handlers: ['script " x "'] }, { url: '/b' }],
    diagnostics: ['unexpected-text-after-handler@5 warning'],
  },
  {
    name: 'pre-request scripts (inline and file) belong to the request below them, not taken for its request line',
    text: '< {%\n  request.variables.set("a", 1)\n%}\nGET /a\n###\n< ./pre.js\nGET /b\n###\nGET /c',
    requests: [
      { url: '/a', preRequestScripts: [`script ${JSON.stringify('\n  request.variables.set("a", 1)\n')}@0`] },
      { url: '/b', preRequestScripts: ['scriptFile "./pre.js"@5'] },
      { url: '/c', preRequestScripts: undefined },
    ],
    diagnostics: [],
  },
  {
    name: 'requests separated only by a blank line: the request line starts the next request, with a warning there',
    text: 'GET http://h/a\n\nGET http://h/b HTTP/1.1\n###\nPOST /c\n\nGET is a verb\n',
    requests: [{ url: 'http://h/a', body: undefined }, { url: 'http://h/b' }, { url: '/c', body: ['text "GET is a verb"'] }],
    diagnostics: ['request-without-separator@2 warning'],
  },
  {
    name: 'a request line after a JSON body and a blank line starts the next request',
    text: 'POST /login\nContent-Type: application/json\n\n{"user": "a"}\n\nGET /setup HTTP/1.1\nAccept: */*\n',
    requests: [
      { url: '/login', body: ['text "{\\"user\\": \\"a\\"}"'] },
      { url: '/setup', headers: ['Accept: */*'] },
    ],
    diagnostics: ['request-without-separator@5 warning'],
  },
  {
    name: 'request lines in a multipart body (an OData $batch) or right below body text stay body text',
    text: 'POST /$batch\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/http\n\nGET /Customers HTTP/1.1\n--b--\n###\nPOST /doc\n\nsee\nGET /x HTTP/1.1\n',
    requests: [
      { url: '/$batch', body: ['text "--b\\nContent-Type: application/http\\n\\nGET /Customers HTTP/1.1\\n--b--"'] },
      { url: '/doc', body: ['text "see\\nGET /x HTTP/1.1"'] },
    ],
    diagnostics: [],
  },
  {
    name: '@name = value after a body is a file variable, not body text',
    text: 'POST /a\n\n{"a": 1}\n\n@token = abc\n###\nGET /b?t={{token}}',
    requests: [{ body: ['text "{\\"a\\": 1}"'] }, { url: '/b?t={{token}}' }],
    diagnostics: [],
  },
  // ---- directives
  {
    name: '`# @name = x` and `# @name=x` read like `# @name x`',
    text: '# @name = login\nGET /a\n###\n// @name=me\nGET /b\n###\n# @timeout = 5 s\nGET /c',
    requests: [{ name: 'login' }, { name: 'me' }, { directives: { timeoutMs: 5000 } }],
    diagnostics: [],
  },
  {
    name: 'flag directives and our own @session and @csrf',
    text: '# @no-redirect\n# @no-cookie-jar\n// @no-log\n# @no-auto-encoding\n# @session admin\n# @csrf off\nGET /a',
    requests: [
      { directives: { noRedirect: true, noCookieJar: true, noLog: true, noAutoEncoding: true, session: 'admin', csrf: 'off' } },
    ],
    diagnostics: [],
  },
  {
    name: 'timeouts: a bare number is seconds (as in JetBrains), or with units',
    text: [
      '# @timeout 600\n# @connection-timeout 500 ms\nGET /a',
      '# @timeout 5 s\n# @connection-timeout 2s\nGET /b',
      '# @timeout 2 m\n# @connection-timeout 1.5 s\nGET /c',
    ].join('\n###\n'),
    requests: [
      { directives: { timeoutMs: 600_000, connectionTimeoutMs: 500 } },
      { directives: { timeoutMs: 5000, connectionTimeoutMs: 2000 } },
      { directives: { timeoutMs: 120_000, connectionTimeoutMs: 1500 } },
    ],
    diagnostics: [],
  },
  {
    name: 'malformed known directives warn; unknown @words are comments',
    text: '# @timeout abc\n# @csrf maybe\n# @session\n# @name\n# @author someone\n# @toString\n# email me @ home\nGET /a',
    requests: [{ name: undefined, directives: {} }],
    diagnostics: ['invalid-directive@0 warning', 'invalid-directive@1 warning', 'invalid-directive@2 warning', 'invalid-directive@3 warning'],
  },
  {
    name: 'directives after the request line are ordinary comments',
    text: 'GET /a\n# @no-redirect\nAccept: x',
    requests: [{ directives: {}, headers: ['Accept: x'] }],
  },
  // ---- file variables
  {
    name: 'file variables before and between requests are not requests',
    text: '@host = localhost:8080\n@base=http://{{host}}/api\n\nGET {{base}}/a\n###\n@token = abc\nGET /b',
    requests: [{ url: '{{base}}/a' }, { url: '/b' }],
    diagnostics: [],
  },
  {
    name: 'a file variable without = warns',
    text: '@host localhost\nGET /a',
    requests: [{ url: '/a' }],
    diagnostics: ['malformed-file-variable@0 warning'],
  },
  // ---- bad input: diagnostics on the right lines, the other requests still parse
  {
    name: 'headers without a request line',
    text: 'GET /ok1\n###\nContent-Type: application/json\n\n{}\n###\nGET /ok2',
    requests: [{ url: '/ok1' }, { url: '/ok2' }],
    diagnostics: ['missing-request-line@2 error'],
  },
  {
    name: 'a body without a request line',
    text: '###\n# comment\n{"a": 1}\n###\nGET /ok',
    requests: [{ url: '/ok' }],
    diagnostics: ['missing-request-line@2 error'],
  },
  {
    name: 'missing URLs',
    text: 'GET\n###\nPOST HTTP/1.1\n###\nGET /ok',
    requests: [{ url: '/ok' }],
    diagnostics: ['missing-url@0 error', 'missing-url@2 error'],
  },
  {
    name: 'a bad HTTP version',
    text: 'GET /a HTTP/one\nAccept: x\n###\nGET /ok HTTP/1.1',
    requests: [{ url: '/ok' }],
    diagnostics: ['invalid-http-version@0 error'],
  },
  {
    name: 'blanks before and after a header colon belong to neither the name nor the value',
    text: 'GET /a\nX-Spaced \t:  v\nX-Tight:v:w\nX-Blank:   \nX-Url: http://h:8080/x\n',
    requests: [{ headers: ['X-Spaced: v', 'X-Tight: v:w', 'X-Blank: ', 'X-Url: http://h:8080/x'] }],
  },
  {
    name: 'a malformed header is reported and the rest of the request kept',
    text: 'POST /a\nAccept: x\nno colon here\nBad Name: 1\nX-Ok: 2\n\nbody',
    requests: [{ headers: ['Accept: x', 'X-Ok: 2'], body: ['text "body"'] }],
    diagnostics: ['malformed-header@2 error', 'malformed-header@3 error'],
  },
  {
    name: 'an unterminated {{ warns; the request still parses',
    text: 'GET /a?x={{oops\nX-A: {{ fine }}',
    requests: [{ url: '/a?x={{oops', references: ['fine'] }],
    diagnostics: ['unterminated-variable@0 warning'],
  },
  {
    name: 'an unterminated handler script is an error, ended by the next ###',
    text: 'GET /a\n\n> {%\n client.log(1)\n###\nGET /b',
    requests: [{ url: '/a', handlers: [] }, { url: '/b' }],
    diagnostics: ['unterminated-script@2 error'],
  },
  // ---- httpYac: `??` assertions, `{{ }}` script blocks; block comments; indented headers
  {
    name: '?? assertions after the headers, in the body and after it are kept in order and left out of the body',
    text: 'POST /a\nX-A: 1\n?? status == 200\n\n{"a": 1}\n?? header content-type includes json\n{"b": 2}\n\n?? body $.id == {{id}}',
    requests: [
      {
        headers: ['X-A: 1'],
        body: ['text "{\\"a\\": 1}\\n"', 'text "{\\"b\\": 2}"'],
        handlers: ['assertion "status == 200"', 'assertion "header content-type includes json"', 'assertion "body $.id == {{id}}"'],
        references: ['id'],
      },
    ],
    diagnostics: [],
  },
  {
    name: 'a ?? line under the request line is an assertion, not a ? query continuation',
    text: 'GET /a\n?? status == 200',
    requests: [{ url: '/a', handlers: ['assertion "status == 200"'] }],
  },
  {
    name: '{{ }} blocks: before the request line they run before it, after it they handle the response; the body ends at one',
    text: '{{\n  exports.x = 1;\n}}\nPOST /a\n\nbody\n{{\n  test("ok", () => {});\n}}\n',
    requests: [
      {
        url: '/a',
        body: ['text "body"'],
        preRequestScripts: ['httpYacScript "\\n  exports.x = 1;\\n"@0'],
        handlers: ['httpYacScript "\\n  test(\\"ok\\", () => {});\\n"'],
      },
    ],
    diagnostics: [],
  },
  {
    name: 'an unterminated {{ block is an error',
    text: 'GET /a\n\n{{\n  console.log(1)\n###\nGET /b',
    requests: [{ url: '/a', handlers: [] }, { url: '/b' }],
    diagnostics: ['unterminated-script@2 error'],
  },
  {
    name: '{{var}} inside a body line and a {{ that is not alone on its line stay body text',
    text: 'POST /a\n\n{{payload}}\n {{\n',
    requests: [{ body: ['text "{{payload}}\\n {{"'], handlers: [] }],
  },
  {
    name: '/* */ and <!-- --> comments before a request, among headers and after handlers; in a body they are text',
    text: '/* one\n   two */\n<!-- three -->\nGET /a\n/* four */\nX-A: 1\n<!--\nX-B: 2\n-->\n\n/* body */\n',
    requests: [{ url: '/a', headers: ['X-A: 1'], body: ['text "/* body */"'] }],
    diagnostics: [],
  },
  {
    name: 'an indented Name: value line under the request line is a header, not part of the URL',
    text: 'GET https://h/a\n    Accept: application/json\n    X-A: 1\n\nbody',
    requests: [{ url: 'https://h/a', headers: ['Accept: application/json', 'X-A: 1'], body: ['text "body"'] }],
    diagnostics: [],
  },
  {
    name: 'indented path and query continuations still join the URL',
    text: 'GET https://h/a\n    /b\n    ?x=1\n    &y=2:3',
    requests: [{ url: 'https://h/a/b?x=1&y=2:3', headers: [] }],
  },
];

describe('parseHttpFile', () => {
  for (const { name, text, requests, diagnostics } of cases) {
    test(name, () => {
      const parsed = parseHttpFile(text);
      assertRequests(parsed, requests);
      if (diagnostics) assert.deepEqual(diagnosticsOf(parsed), diagnostics);
    });
  }
});

describe('httpYac setup blocks', () => {
  test('a block of {{ }} scripts without a request is kept for every request of the file', () => {
    const parsed = parseHttpFile('{{\n  exports.base = "http://h";\n}}\n\n###\nGET {{base}}/a\n###\nGET {{base}}/b');
    assert.deepEqual(parsed.setupScripts?.map((script) => `${script.kind} ${script.range.startLine}-${script.range.endLine}`), ['httpYacScript 0-2']);
    assert.deepEqual(parsed.requests.map((request) => request.preRequestScripts), [undefined, undefined]);
  });

  test('a file without one has none', () => {
    assert.equal(parseHttpFile('GET /a').setupScripts, undefined);
  });
});

describe('line endings', () => {
  const sample = [
    '@host = example.com',
    '### login',
    '# @timeout 5 s',
    'POST http://{{host}}/login',
    '    ?next=/home',
    'Content-Type: multipart/form-data; boundary=b',
    '',
    '--b',
    'Content-Disposition: form-data; name="f"; filename="a.txt"',
    '',
    '< ./a.txt',
    '--b--',
    '',
    '> {%',
    '  client.log(1)',
    '%}',
    '###',
    'GET /bad HTTP/x',
    '',
  ];

  /** The parse result as JSON, with what its requests make when first read (references, ranges), which are not own properties. */
  function asJson(parsed: ParsedFile): string {
    return JSON.stringify({
      ...parsed,
      requests: parsed.requests.map((request) => ({
        ...request,
        headers: request.headers.map((header) => ({ ...header, range: header.range })),
        variableReferences: request.variableReferences,
        range: request.range,
        requestLineRange: request.requestLineRange,
      })),
    });
  }

  /** The parse result with line breaks inside texts made LF, so only positions can differ. */
  function normalized(eol: string): unknown {
    return JSON.parse(asJson(parseHttpFile(sample.join(eol))).replace(/\\r\\n|\\r/g, '\\n'));
  }

  for (const [label, eol] of [['CRLF', '\r\n'], ['lone CR', '\r'], ['mixed', '\r\n\n\r']] as const) {
    test(`${label} gives the same requests, ranges and diagnostics as LF`, () => {
      if (eol.length > 2) {
        // Mixed line ends: each break style used in turn.
        const mixed = sample.map((line, index) => line + (index < sample.length - 1 ? ['\r\n', '\n', '\r'][index % 3] : '')).join('');
        assert.deepEqual(JSON.parse(asJson(parseHttpFile(mixed)).replace(/\\r\\n|\\r/g, '\\n')), normalized('\n'));
      } else {
        assert.deepEqual(normalized(eol), normalized('\n'));
      }
    });
  }

  test('body text keeps the file line breaks (CRLF stays CRLF)', () => {
    const parsed = parseHttpFile('POST /a\r\n\r\nline 1\r\nline 2\r\n\r\n');
    assert.deepEqual(parsed.requests[0].body, [{ kind: 'text', text: 'line 1\r\nline 2', range: range(2, 0, 3, 6) }]);
  });

  test('a BOM does not hide the first line', () => {
    const parsed = parseHttpFile('\uFEFF### first\nGET /a');
    assert.equal(parsed.requests[0].name, 'first');
  });
});

describe('exact ranges', () => {
  const text = [
    '@host = localhost:{{port}}', // 0
    '', // 1
    '### get user', // 2
    '# @name user', // 3
    'GET http://{{ host }}/users/{{id}} HTTP/1.1', // 4
    '  ?verbose=true', // 5
    'Accept: application/json', // 6
    'X-Trace:   {{$uuid}}  ', // 7
    '', // 8
    '{"q": "{{query}}"}', // 9
    '< ./extra.json', // 10
    '', // 11
    '> ./after.js', // 12
    '', // 13
    '###', // 14
  ].join('\n');
  const parsed = parseHttpFile(text);
  const request = parsed.requests[0];

  const expectations: readonly [string, () => unknown, unknown][] = [
    ['request range: first comment to last non-blank line', () => request.range, range(3, 0, 12, 12)],
    ['request line range, with its continuation', () => request.requestLineRange, range(4, 0, 5, 15)],
    ['header range', () => request.headers.map((header) => header.range), [range(6, 0, 6, 24), range(7, 0, 7, 20)]],
    ['header value trimmed', () => request.headers[1].value, '{{$uuid}}'],
    ['file variable', () => parsed.fileVariables, [
      { name: 'host', value: 'localhost:{{port}}', range: range(0, 0, 0, 26), variableReferences: [{ expression: 'port', range: range(0, 18, 0, 26) }] },
    ]],
    ['variable references in source order', () => request.variableReferences, [
      { expression: 'host', range: range(4, 11, 4, 21) },
      { expression: 'id', range: range(4, 28, 4, 34) },
      { expression: '$uuid', range: range(7, 11, 7, 20) },
      { expression: 'query', range: range(9, 7, 9, 16) },
    ]],
    ['body segments', () => request.body, [
      { kind: 'text', text: '{"q": "{{query}}"}\n', range: range(9, 0, 10, 0) },
      { kind: 'file', path: './extra.json', substitute: false, range: range(10, 0, 10, 14) },
    ]],
    ['handler range', () => request.handlers, [{ kind: 'scriptFile', text: './after.js', range: range(12, 0, 12, 12) }]],
    ['malformed header diagnostic covers the trimmed line', () => parseHttpFile('GET /a\nX: 1\nno colon  ').diagnostics.map((d) => d.range), [range(2, 0, 2, 8)]],
    ['missing request line diagnostic', () => parseHttpFile('###\n  Accept: x\n').diagnostics.map((d) => d.range), [range(1, 2, 1, 11)]],
    ['bad version diagnostic covers the version', () => parseHttpFile('GET /a HTTP/9x').diagnostics.map((d) => d.range), [range(0, 7, 0, 14)]],
    ['unterminated variable points at its {{', () => parseHttpFile('GET /a\nX-A: b {{c').diagnostics.map((d) => d.range), [range(1, 7, 1, 9)]],
    ['include path reference', () => parseHttpFile('POST /a\n\n<@  ./{{dir}}/x.json').requests[0].variableReferences, [
      { expression: 'dir', range: range(2, 6, 2, 13) },
    ]],
  ];

  for (const [name, actual, expected] of expectations) {
    test(name, () => assert.deepEqual(actual(), expected));
  }
});

describe('variable references, read on demand', () => {
  const text = ['@a = {{x}}', 'POST /{{b}}', 'X-C: {{c}}', '', '{"d": "{{d}}"}', '@e = {{f}}', '###', 'GET /{{g}}', '###', 'GET /none'].join('\n');

  test('each request has its own, in source order; a file variable among them keeps its own', () => {
    const parsed = parseHttpFile(text);
    assert.deepEqual(
      parsed.requests.map((request) => request.variableReferences.map((reference) => `${reference.expression}@${reference.range.startLine}:${reference.range.startColumn}`)),
      [['b@1:6', 'c@2:5', 'd@4:7'], ['g@7:5'], []],
    );
    assert.deepEqual(parsed.fileVariables.map((variable) => variable.variableReferences.map((reference) => reference.expression)), [['x'], ['f']]);
  });

  test('read in any order, and read again, they are the same', () => {
    const parsed = parseHttpFile(text);
    const last = parsed.requests[1].variableReferences;
    const first = parsed.requests[0].variableReferences;
    assert.equal(parsed.requests[0].variableReferences, first);
    assert.deepEqual([first, last], [parseHttpFile(text).requests[0].variableReferences, parseHttpFile(text).requests[1].variableReferences]);
  });
});

test('copyTemplate keeps the ranges and references a parsed request makes on first read (a spread does not)', () => {
  const [request] = parseHttpFile('### a\nGET {{host}}/a\nX-A: {{b}}\n').requests;
  const copy = copyTemplate(request!, { headers: [] });
  assert.deepEqual([copy.range, copy.requestLineRange, copy.variableReferences], [request!.range, request!.requestLineRange, request!.variableReferences]);
  assert.deepEqual([copy.method, copy.url, copy.title, copy.headers], ['GET', '{{host}}/a', 'a', []]);
  assert.equal(({ ...request! } as { requestLineRange?: unknown }).requestLineRange, undefined, 'why copyTemplate exists');
});

describe('# @prompt', () => {
  test('each prompt of a request is kept in order, with its question when written', () => {
    const { requests, diagnostics } = parseHttpFile(['# @prompt orderId The order to fetch', '// @prompt password', '# @prompt = region', 'GET /orders/{{orderId}}', '', '###', 'GET /other'].join('\n'));
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(requests[0].directives.prompts, [{ name: 'orderId', description: 'The order to fetch' }, { name: 'password' }, { name: 'region' }]);
    assert.equal(requests[1].directives.prompts, undefined, 'a prompt belongs to its own request');
  });

  test('a prompt without a variable name is a warning on its line, and the request is still read', () => {
    const { requests, diagnostics } = parseHttpFile(['# @prompt', '# @prompt 1st value', 'GET /a'].join('\n'));
    assert.deepEqual(
      diagnostics.map((d) => [d.range.startLine, d.severity, d.message]),
      [0, 1].map((line) => [line, 'warning', '@prompt needs a variable name, then the question if you like: `orderId The order to fetch`']),
    );
    assert.equal(requests[0].url, '/a');
  });
});
