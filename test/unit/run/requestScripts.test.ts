// Which request files load the script sandbox before their first request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestFile } from '../../../src/core/parse';
import { runsScripts } from '../../../src/core/run/requestScripts';

const cases: { shape: string; text: string; runs: boolean }[] = [
  { shape: 'a response handler', text: 'GET http://a.test/\n\n> {% client.test("ok", () => client.assert(response.status === 200)); %}\n', runs: true },
  { shape: 'a handler file', text: 'GET http://a.test/\n\n> ./check.js\n', runs: true },
  { shape: 'a pre-request script', text: '< {% request.variables.set("id", "1"); %}\nGET http://a.test/{{id}}\n', runs: true },
  { shape: 'an httpYac assertion', text: 'GET http://a.test/\n\n?? status == 200\n', runs: true },
  { shape: 'an httpYac setup block', text: '{{\n  exports.id = 1;\n}}\n###\nGET http://a.test/{{id}}\n', runs: true },
  { shape: 'a handler on the last of many requests', text: 'GET http://a.test/1\n\n###\nGET http://a.test/2\n\n> {% client.log(response.status); %}\n', runs: true },
  { shape: 'a response written to a file', text: 'GET http://a.test/\n\n>> out.json\n', runs: false },
  { shape: 'plain requests', text: 'POST http://a.test/login\n\nuser=a\n\n###\nGET http://a.test/me\n', runs: false },
];

for (const { shape, text, runs } of cases) {
  test(`a file with ${shape} ${runs ? 'runs' : 'runs no'} scripts`, () => {
    const file = parseRequestFile(text, 'api.http');
    assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(runsScripts(file), runs);
  });
}
