import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyYamlFix } from '../../../src/core/parse/yamlEdit';
import { parseRequestFile } from '../../../src/core/parse';

const file = `# Orders API
variables:
  host: http://localhost:8080
requests:
  - name: login
    POST: "{{host}}/login"
    form: { username: user, password: password }
  - name: order # the one the fix is about
    POST: "{{host}}/api/orders"
    csrf: off
    cookieJar: false
    headers:
      Cookie: JSESSIONID=left-over
      Accept: application/json
    json: { item: 42 }
`;
const orderLine = 8; // "POST: …/api/orders"

function requestOf(text: string, name: string) {
  const parsed = parseRequestFile(text, 'orders.http.yaml');
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), [], text);
  const request = parsed.requests.find((candidate) => candidate.name === name)!;
  // The headers written in the file (the body kind adds its Content-Type).
  return { ...request, headers: request.headers.filter((header) => header.name !== 'Content-Type') };
}

test('remove-directive removes the YAML option of that request, keeping comments and the rest', () => {
  const csrf = applyYamlFix(file, orderLine, { kind: 'remove-directive', directive: 'csrf' })!;
  assert.equal(requestOf(csrf, 'order').directives.csrf, undefined);
  assert.match(csrf, /^# Orders API$/m);
  assert.match(csrf, /# the one the fix is about/);
  const jar = applyYamlFix(file, orderLine, { kind: 'remove-directive', directive: 'no-cookie-jar' })!;
  assert.equal(requestOf(jar, 'order').directives.noCookieJar, undefined);
  assert.equal(applyYamlFix(file, 5, { kind: 'remove-directive', directive: 'csrf' }), undefined, 'the login request has no csrf option');
});

test('remove-header and add-header edit the headers map of the request the line is in', () => {
  const removed = applyYamlFix(file, orderLine, { kind: 'remove-header', name: 'cookie' })!;
  assert.deepEqual(requestOf(removed, 'order').headers.map((h) => h.name), ['Accept']);
  const replaced = applyYamlFix(file, orderLine, { kind: 'add-header', name: 'accept', value: 'text/html' })!;
  assert.deepEqual(requestOf(replaced, 'order').headers.map((h) => [h.name, h.value]), [['Cookie', 'JSESSIONID=left-over'], ['accept', 'text/html']]);
  const added = applyYamlFix(file, 5, { kind: 'add-header', name: 'X-XSRF-TOKEN', value: '{{$cookie XSRF-TOKEN}}' })!;
  assert.deepEqual(requestOf(added, 'login').headers.map((h) => [h.name, h.value]), [['X-XSRF-TOKEN', '{{$cookie XSRF-TOKEN}}']]);
  assert.equal(requestOf(added, 'order').headers.length, 2, 'the other request is untouched');
});

test('actions that do not edit a file, and lines outside any request, apply nothing', () => {
  assert.equal(applyYamlFix(file, orderLine, { kind: 'resend' }), undefined);
  assert.equal(applyYamlFix(file, 1, { kind: 'remove-header', name: 'Cookie' }), undefined);
  assert.equal(applyYamlFix('not: [a, yaml request file', 0, { kind: 'remove-header', name: 'Cookie' }), undefined);
});
