import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange } from '../../../src/core/model/exchange';
import { parseCurlCommand } from '../../../src/core/parse/curlCommand';
import { importCurlCommand } from '../../../src/core/parse/curlImport';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { splitShellWords } from '../../../src/core/parse/shellWords';
import { buildCurl } from '../../../src/shared/panel/curl';

describe('shell words', () => {
  const cases: readonly { name: string; text: string; words: string[]; incomplete?: boolean }[] = [
    { name: 'single quotes are literal', text: `curl 'a "b" \\n $x'`, words: ['curl', 'a "b" \\n $x'] },
    { name: 'double quotes keep backslash except before $ " \\ and `', text: 'curl "a\\"b\\$c\\d"', words: ['curl', 'a"b$c\\d'] },
    { name: "$'…' decodes ANSI-C escapes (Chrome's bash copy)", text: "curl $'it\\'s\\n\\u0021\\x41\\t'", words: ['curl', "it's\n!A\t"] },
    { name: 'backslash-newline continues the command', text: "curl 'u' \\\n  -H 'a: b' \\\r\n  -k", words: ['curl', 'u', '-H', 'a: b', '-k'] },
    { name: 'unquoted backslash escapes the next character', text: 'curl a\\ b\\&c', words: ['curl', 'a b&c'] },
    { name: 'adjacent quoted pieces make one word', text: `curl 'a'"b"c`, words: ['curl', 'abc'] },
    { name: 'an empty quoted word is a word', text: `curl -b ''`, words: ['curl', '-b', ''] },
    { name: 'an open single quote continues on the next line', text: "curl --data '{", words: ['curl', '--data'], incomplete: true },
    { name: 'a trailing backslash continues', text: 'curl u \\', words: ['curl', 'u'], incomplete: true },
    { name: 'a pipe ends the command', text: "curl u | jq '.a'", words: ['curl', 'u'] },
    { name: "cmd: ^-newline continues and ^\" quotes (Chrome's cmd copy)", text: 'curl ^"https://x/a^" ^\n  -H ^"accept: */*^"', words: ['curl', 'https://x/a', '-H', 'accept: */*'] },
    { name: 'cmd: a trailing ^ continues', text: 'curl "u" ^\r\n  -H "a: \\"q\\"" ^', words: ['curl', 'u', '-H', 'a: "q"'], incomplete: true },
  ];
  for (const { name, text, words, incomplete } of cases) {
    test(name, () => {
      const split = splitShellWords(text);
      assert.deepEqual(split.words.map((word) => word.value), words);
      assert.equal(split.incomplete, incomplete ?? false);
    });
  }

  test('words keep the offsets of their source text', () => {
    const text = `curl  -H 'a: b'`;
    assert.deepEqual(splitShellWords(text).words.map(({ start, end }) => text.slice(start, end)), ['curl', '-H', `'a: b'`]);
  });
});

/** A command reduced to what the cases compare: `file path` for a file part. */
function summary(command: string) {
  const { request, problems } = parseCurlCommand(command);
  return {
    method: request?.method,
    url: request?.url,
    headers: request?.headers.map((header) => `${header.name}: ${header.value}`),
    body: request?.body.map((part) => (part.kind === 'text' ? part.text : `file ${part.path}`)).join('|'),
    timeouts: [request?.timeoutMs, request?.connectionTimeoutMs],
    problems: problems.map((problem) => `${problem.severity} ${problem.code}: ${command.slice(problem.start, problem.end)}`),
  };
}

describe('curl options', () => {
  const cases: readonly { name: string; command: string; expected: Partial<ReturnType<typeof summary>> }[] = [
    {
      name: "Chrome's Copy as cURL (bash)",
      command: `curl 'https://api.example.com/v1/items?page=2' \\
  -H 'accept: application/json' \\
  -H 'content-type: application/json' \\
  -b 'JSESSIONID=ABC123; theme=dark' \\
  -H $'x-note: it\\'s' \\
  --data-raw '{"name":"a"}'`,
      expected: {
        method: 'POST',
        url: 'https://api.example.com/v1/items?page=2',
        headers: ['accept: application/json', 'content-type: application/json', 'Cookie: JSESSIONID=ABC123; theme=dark', "x-note: it's"],
        body: '{"name":"a"}',
        problems: [],
      },
    },
    {
      name: "Firefox's Copy as cURL: --compressed, -X, cookies as a header",
      command: `curl 'https://h/a' -X PUT -H 'User-Agent: Mozilla/5.0' -H 'Cookie: a=1' --compressed --data-raw 'x=1'`,
      expected: {
        method: 'PUT',
        headers: ['User-Agent: Mozilla/5.0', 'Cookie: a=1', 'Content-Type: application/x-www-form-urlencoded', 'Accept-Encoding: gzip, deflate, br'],
        body: 'x=1',
      },
    },
    {
      name: "Postman's export: --location, --header, a multi-line --data body",
      command: `curl --location 'http://localhost:8080/users' \\\n--header 'Content-Type: application/json' \\\n--data '{\n    "name": "x"\n}'`,
      expected: { method: 'POST', url: 'http://localhost:8080/users', headers: ['Content-Type: application/json'], body: '{\n    "name": "x"\n}', problems: [] },
    },
    { name: 'no data is a GET; -I is a HEAD; -X wins', command: 'curl -I http://h/', expected: { method: 'HEAD', body: '' } },
    { name: 'several -d are joined with &', command: 'curl http://h -d a=1 --data b=2 --data-ascii c=3', expected: { body: 'a=1|&|b=2|&|c=3' } },
    { name: '-d @file and --data-binary @file are files', command: 'curl http://h --data-binary @body.json', expected: { body: 'file body.json' } },
    { name: '--data-raw keeps a leading @', command: 'curl http://h --data-raw @me', expected: { body: '@me' } },
    {
      name: '--data-urlencode encodes the value, not the name nor {{variables}}',
      command: `curl http://h --data-urlencode 'q=a b&c' --data-urlencode 'n={{name}} x'`,
      expected: { body: 'q=a+b%26c|&|n={{name}}+x' },
    },
    {
      name: '--json sets the JSON headers',
      command: `curl http://h --json '{"a":1}'`,
      expected: { method: 'POST', headers: ['Content-Type: application/json', 'Accept: application/json'], body: '{"a":1}' },
    },
    { name: '-G puts the data in the query', command: 'curl -G http://h/s?x=1 -d q=a -d n=2', expected: { method: 'GET', url: 'http://h/s?x=1&q=a&n=2', body: '' } },
    {
      name: '-u is a Basic Authorization header (encoded when sent)',
      command: 'curl -u admin:s3cret http://h --user-agent ua -e http://ref',
      expected: { headers: ['Authorization: Basic admin:s3cret', 'User-Agent: ua', 'Referer: http://ref'] },
    },
    {
      name: 'bundled short options and attached values',
      command: `curl -sSLXPOST -H'A: 1' http://h`,
      expected: { method: 'POST', headers: ['A: 1'], problems: [] },
    },
    { name: '--max-time and --connect-timeout are timeouts', command: 'curl -m 2.5 --connect-timeout 1 http://h', expected: { timeouts: [2500, 1000] } },
    { name: '--url gives the URL', command: 'curl --url http://h/x -o out.json', expected: { url: 'http://h/x', problems: [] } },
    {
      name: '-F makes a multipart body with file parts',
      command: `curl http://h -F 'doc=@./a.pdf;type=application/pdf' -F name=x`,
      expected: {
        method: 'POST',
        headers: ['Content-Type: multipart/form-data; boundary=HttpSessionCurlFormBoundary'],
        body: [
          '--HttpSessionCurlFormBoundary\nContent-Disposition: form-data; name="doc"; filename="a.pdf"\nContent-Type: application/pdf\n\n',
          'file ./a.pdf',
          '\n',
          '--HttpSessionCurlFormBoundary\nContent-Disposition: form-data; name="name"\n\nx\n',
          '--HttpSessionCurlFormBoundary--\n',
        ].join('|'),
      },
    },
    {
      name: 'what is not applied is reported by name, the rest still runs',
      command: 'curl -k -x http://proxy:3128 -b cookies.txt --frobnicate --digest http://h',
      expected: {
        url: 'http://h',
        problems: [
          'warning curl-not-applied: -k',
          'warning curl-not-applied: -x http://proxy:3128',
          'warning curl-cookie-file: -b cookies.txt',
          'warning curl-unknown-option: --frobnicate',
          'warning curl-not-supported: --digest',
        ],
      },
    },
    { name: 'no URL is an error', command: 'curl -H "a: b"', expected: { method: undefined, problems: ['error curl-missing-url: curl -H "a: b"'] } },
    { name: 'a missing option value is an error', command: 'curl http://h -H', expected: { problems: ['error curl-missing-value: -H'] } },
  ];
  for (const { name, command, expected } of cases) {
    test(name, () => {
      const actual = summary(command);
      const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof typeof actual]]));
      assert.deepEqual(picked, expected);
    });
  }
});

describe('curl requests in a .http file', () => {
  test('a curl command with continuations is one request; {{variables}} are kept and referenced', () => {
    const parsed = parseHttpFile(
      "@host = localhost\n### login\n# @timeout 5s\ncurl 'http://{{host}}/login' \\\n  -H 'X-A: {{a}}' \\\n  --data-raw '{\n  \"u\": 1\n}' -m 30\n> {% client.log('x') %}\n\n###\nGET http://{{host}}/next",
    );
    assert.deepEqual(parsed.diagnostics, []);
    const [curl, next] = parsed.requests;
    assert.equal(curl.method, 'POST');
    assert.equal(curl.url, 'http://{{host}}/login');
    assert.equal(curl.name, 'login');
    assert.deepEqual(curl.headers.map((header) => [header.name, header.value, header.range.startLine]), [
      ['X-A', '{{a}}', 4],
      ['Content-Type', 'application/x-www-form-urlencoded', 3],
    ]);
    assert.deepEqual(curl.body?.map((segment) => segment.kind === 'text' && segment.text), ['{\n  "u": 1\n}']);
    assert.deepEqual(curl.directives, { timeoutMs: 5000 });
    assert.deepEqual(curl.variableReferences.map((reference) => reference.expression), ['host', 'a']);
    assert.equal(curl.handlers.length, 1);
    assert.deepEqual([curl.requestLineRange.startLine, curl.requestLineRange.endLine], [3, 7]);
    assert.equal(next.url, 'http://{{host}}/next');
  });

  test('problems are diagnostics on their line; the other requests still parse', () => {
    const parsed = parseHttpFile('curl http://h \\\n  --frobnicate\n###\ncurl -H "a: b"\n###\nGET http://h/ok\n###\ncurl http://h\nstray');
    assert.deepEqual(
      parsed.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.startLine}`),
      ['curl-unknown-option@1', 'curl-missing-url@3', 'text-after-curl@8'],
    );
    assert.deepEqual(parsed.requests.map((request) => request.url), ['http://h', 'http://h/ok', 'http://h']);
  });

  test('an unterminated quote is reported and runs to the end of the block', () => {
    const parsed = parseHttpFile("curl http://h --data '{\n###\nGET http://h/b");
    assert.deepEqual(parsed.diagnostics.map((diagnostic) => diagnostic.code), ['curl-unterminated', 'curl-missing-value']);
    assert.deepEqual(parsed.requests.map((request) => request.url), ['http://h', 'http://h/b']);
  });
});

describe('Import from cURL', () => {
  test('a pasted command becomes a readable request: one header a line, JSON pretty-printed', () => {
    const imported = importCurlCommand(`curl 'https://h/api' \\\n  -H 'content-type: application/json' \\\n  --data-raw '{"a":1,"b":[true]}' -m 5 -k`);
    assert.equal(imported.text, 'POST https://h/api\ncontent-type: application/json\n\n{\n  "a": 1,\n  "b": [\n    true\n  ]\n}\n'.replace('POST', '# @timeout 5000ms\nPOST'));
    assert.deepEqual(imported.problems, [
      'line 3: -k is not applied: certificate checks are set per host in the httpSession.tls setting ("rejectUnauthorized": false)',
    ]);
  });

  test('a multipart file part becomes an include line the .http parser reads back as a file', () => {
    const { text } = importCurlCommand(`curl http://h/up -F 'doc=@a.txt'`);
    const [request] = parseHttpFile(text!).requests;
    assert.deepEqual(request.body?.map((segment) => segment.kind), ['text', 'file', 'text']);
  });

  test('no URL gives no request and says so', () => {
    assert.deepEqual(importCurlCommand('curl -v'), { problems: ['line 1: The curl command has no URL'] });
  });

  // Copy as cURL (the response panel) and Import from cURL must agree: the imported request sends the same thing.
  const roundTrips: readonly { name: string; request: Exchange['request'] }[] = [
    { name: 'a GET with headers', request: { method: 'GET', url: 'https://h/a?x=1', headers: [['Accept', 'application/json'], ['Cookie', 'JSESSIONID=a; b=c']], bodySize: 0 } },
    {
      name: 'a POST with a JSON body and quotes',
      request: { method: 'POST', url: 'https://h/a', headers: [['Content-Type', 'application/json'], ['X-Q', "it's"]], bodyText: '{"a":"it\'s"}', bodySize: 12 },
    },
    { name: 'a HEAD', request: { method: 'HEAD', url: 'https://h/', headers: [], bodySize: 0 } },
    { name: 'a DELETE with compression', request: { method: 'DELETE', url: 'https://h/x', headers: [['Accept-Encoding', 'gzip, deflate, br']], bodySize: 0 } },
  ];
  for (const { name, request } of roundTrips) {
    test(`round trip: ${name}`, () => {
      const { command } = buildCurl(request);
      const [imported] = parseHttpFile(importCurlCommand(command).text!).requests;
      assert.equal(imported.method, request.method);
      assert.equal(imported.url, request.url);
      assert.deepEqual(imported.headers.map((header) => [header.name, header.value]), request.headers);
      const body = imported.body?.map((segment) => (segment.kind === 'text' ? segment.text : '')).join('');
      assert.equal(body === undefined ? undefined : JSON.stringify(JSON.parse(body)), request.bodyText);
    });
  }
});
