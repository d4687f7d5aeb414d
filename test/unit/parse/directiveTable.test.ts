// The directive table against what it drives: the .http parser, the YAML options, the generated JSON
// Schema and the generated grammar must all agree with it, row by row.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { completeHttpGrammar, completeRequestFileSchema } from '../../../src/core/parse/directiveContributions';
import { directiveTable, type DirectiveRow } from '../../../src/core/parse/directiveTable';
import { parseHttpFile } from '../../../src/core/parse/httpParser';
import { parseYamlRequestFile } from '../../../src/core/parse/yamlParser';

const base = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')) as Parameters<typeof completeHttpGrammar>[0];

/** A value of each row as a `.http` argument and as a YAML value, meaning the same thing. */
function sample(row: DirectiveRow): { http: string; yaml: string } {
  switch (row.kind) {
    case 'flag':
      return { http: '', yaml: 'false' };
    case 'duration':
      return { http: row.example, yaml: row.example };
    case 'text':
      return { http: row.example, yaml: row.example };
    case 'choice':
      return { http: row.choices.at(-1)!, yaml: row.choices.at(-1)! };
    case 'prompt':
      return { http: row.example, yaml: row.example };
  }
}

describe('directive table', () => {
  for (const row of directiveTable) {
    const { http, yaml } = sample(row);
    const httpRequest = parseHttpFile(`# @${row.name} ${http}\nGET http://example.test/`);

    it(`@${row.name} sets ${row.option} in a .http file`, () => {
      assert.deepEqual(httpRequest.diagnostics, []);
      const [request] = httpRequest.requests;
      const set = row.option === 'name' ? request.name : (request.directives as Record<string, unknown>)[row.option];
      assert.notEqual(set, undefined);
    });

    if ('yamlKey' in row) {
      it(`YAML \`${row.yamlKey}: ${yaml}\` sets the same as \`${`# @${row.name} ${http}`.trimEnd()}\``, () => {
        const parsed = parseYamlRequestFile(`requests:\n  - GET: http://example.test/\n    ${row.yamlKey}: ${yaml}\n`);
        assert.deepEqual(parsed.diagnostics, []);
        assert.deepEqual(parsed.requests[0].directives, httpRequest.requests[0].directives);
      });
    }
  }

  it('has each name, option and YAML key once', () => {
    for (const field of ['name', 'option', 'yamlKey'] as const) {
      const values = directiveTable.flatMap((row) => (field in row ? [(row as Record<string, string>)[field]] : []));
      assert.deepEqual(values, [...new Set(values)], field);
    }
  });

  it('reads durations one way in both formats: a bare number is seconds; ms, s and m units', () => {
    const cases = [['30', 30_000], ['1.5', 1500], ['500ms', 500], ['500 ms', 500], ['30s', 30_000], ['2m', 120_000], ['2 M', 120_000], ['-1', undefined], ['5 h', undefined], ['', undefined]] as const;
    for (const [text, ms] of cases) {
      const http = parseHttpFile(`# @timeout ${text}\nGET /a`).requests[0].directives.timeoutMs;
      const yaml = parseYamlRequestFile(`requests:\n  - GET: /a\n    timeout: "${text}"\n`).requests[0]?.directives.timeoutMs;
      assert.deepEqual([http, yaml], [ms, ms], text);
    }
    // A YAML number is the same as the text of it.
    assert.equal(parseYamlRequestFile('requests:\n  - GET: /a\n    timeout: 1.5\n').requests[0].directives.timeoutMs, 1500);
  });
});

describe('the generated JSON Schema', () => {
  const schema = completeRequestFileSchema(base('schemas/http-session.schema.base.json')) as {
    definitions: { request: { properties: Record<string, { description: string; enum?: string[]; type?: string; $ref?: string; oneOf?: { type: string }[] }> } };
  };
  const properties = schema.definitions.request.properties;

  it('has one option per directive with a YAML key, of the directive kind, naming its .http spelling', () => {
    const promptSchema = { type: 'string', pattern: '^\\s*[A-Za-z_][\\w.-]*(\\s.*)?$' };
    for (const row of directiveTable) {
      if (!('yamlKey' in row)) continue;
      const property = properties[row.yamlKey];
      assert.ok(property, row.yamlKey);
      assert.match(property.description, new RegExp(`# @${row.name}\\b`));
      const shape = { flag: { type: 'boolean' }, duration: { $ref: '#/definitions/duration' }, text: { type: 'string' }, choice: { enum: 'choices' in row ? [...row.choices] : [] },
        prompt: { oneOf: [promptSchema, { type: 'array', items: promptSchema }] },
      }[row.kind];
      for (const [key, value] of Object.entries(shape)) assert.deepEqual(property[key as keyof typeof property], value, `${row.yamlKey}.${key}`);
    }
  });

  it('refuses a base that already writes an option by hand', () => {
    const written = base('schemas/http-session.schema.base.json') as { definitions: { request: { properties: Record<string, unknown> } } };
    written.definitions.request.properties.timeout = { type: 'number' };
    assert.throws(() => completeRequestFileSchema(written as never), /already has `timeout`/);
  });
});

describe('the generated grammar', () => {
  const grammar = completeHttpGrammar(base('syntaxes/http.tmLanguage.base.json')) as { repository: Record<string, { match?: string; patterns?: { include?: string }[] }> };
  // TextMate grammars use Oniguruma; this rule uses nothing JavaScript reads differently.
  const directive = new RegExp(grammar.repository.directive.match!);

  it('is included by the comment rule, before plain comments', () => {
    assert.deepEqual(grammar.repository.comment.patterns?.[0], { include: '#directive' });
  });

  it('highlights exactly the comment lines the parser reads as directives', () => {
    const lines = [
      ...directiveTable.map((row) => `# @${row.name} ${sample(row).http}`.trimEnd()),
      ...directiveTable.map((row) => `  // @${row.name}`),
      '#@timeout 5s',
      '# @timeout-later 5s',
      '# @timeouts 5',
      '# @author me',
      '# email me @ home',
      '# @no-redirect!',
      '@name = value',
    ];
    for (const line of lines) {
      const parsed = parseHttpFile(`${line}\nGET /a`);
      const [request] = parsed.requests;
      const isDirective = request.name !== undefined || Object.keys(request.directives).length > 0 || parsed.diagnostics.some((d) => d.code === 'invalid-directive');
      assert.equal(directive.test(line), isDirective, line);
    }
  });

  it('marks the lines the parser reads as httpYac assertions, script blocks and block comments', () => {
    const rule = (name: string) => grammar.repository[name] as { match?: string; begin?: string; end?: string; patterns?: { begin?: string }[] };
    const assertion = new RegExp(rule('assertion').match!);
    const [scriptBegin, scriptEnd] = [new RegExp(rule('httpYacScript').begin!), new RegExp(rule('httpYacScript').end!)];
    const commentBegins = rule('blockComment').patterns!.map((pattern) => new RegExp(pattern.begin!));
    const file = ['/* a', ' */', '<!-- b -->', '{{', '  exports.x = 1;', '}}', 'GET /a', '?? status == 200', '', '{{payload}}', '{{', '}}'].join('\n');
    const parsed = parseHttpFile(file);
    const [request] = parsed.requests;
    assert.deepEqual(request!.handlers.map((h) => h.kind), ['assertion', 'httpYacScript']);
    for (const handler of request!.handlers) {
      const line = file.split('\n')[handler.range.startLine]!;
      assert.ok(handler.kind === 'assertion' ? assertion.test(line) : scriptBegin.test(line), line);
    }
    assert.ok(scriptBegin.test('{{') && scriptEnd.test('}}') && !scriptBegin.test('{{payload}}') && !assertion.test('?page=2'));
    assert.ok(commentBegins[0]!.test('/* a') && commentBegins[1]!.test('<!-- b -->'));
  });
});

describe('# @auth as the file default', () => {
  const cases: readonly (readonly [what: string, text: string, auth: (string | undefined)[]])[] = [
    ['a block of its own before the first request: every request', '# @auth api\n\n###\nGET http://a.test/\n\n###\nGET http://b.test/\n', ['api', 'api']],
    ['a request writes its own', '# @auth api\n\n###\n# @auth admin\nGET http://a.test/\n\n###\nGET http://b.test/\n', ['admin', 'api']],
    ['on the first request itself: that request only', '# @auth api\nGET http://a.test/\n\n###\nGET http://b.test/\n', ['api', undefined]],
    ['a block without a request after the first request: no default', 'GET http://a.test/\n\n###\n# @auth api\n\n###\nGET http://b.test/\n', [undefined, undefined]],
  ];
  for (const [what, text, auth] of cases) {
    it(what, () => {
      const parsed = parseHttpFile(text);
      assert.deepEqual(parsed.diagnostics, []);
      assert.deepEqual(parsed.requests.map((request) => request.directives.auth), auth);
    });
  }
});
