// `http-session run` as a whole process on a .http file whose requests are curl command lines (as
// pasted from a browser or Postman): the method, headers, body, Basic credentials, cookies and a
// multipart file part arrive at a real loopback server as the command says.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildExtension } from '../../support/build';
import { repoRoot } from '../../support/codeServer';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let server: Server;
let dir: string;

before(async () => {
  await buildExtension();
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'hs-curl-'));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(join(dir, 'note.txt'), 'file content');
  await writeFile(
    join(dir, 'curl.http'),
    [
      `@base = ${base}`,
      '@token = t-42',
      '### Chrome, Copy as cURL (bash)',
      "curl '{{base}}/items?page=2' \\",
      "  -H 'accept: application/json' \\",
      "  -H 'content-type: application/json' \\",
      "  -H $'x-note: it\\'s {{token}}' \\",
      "  -b 'JSESSIONID=abc123; theme=dark' \\",
      `  --data-raw '{"name":"a"}'`,
      '',
      '### Postman export',
      "curl --location --request PUT '{{base}}/users/1' \\",
      "--header 'Content-Type: application/json' \\",
      "--data '{",
      '    "name": "x"',
      "}'",
      '',
      '###',
      'curl -u admin:s3cret -X DELETE {{base}}/admin',
      '',
      '###',
      "curl {{base}}/upload -F 'doc=@note.txt;type=text/plain' -F kind=memo",
      '',
    ].join('\n'),
  );
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

test('curl requests arrive as the commands say', { timeout: 60_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'run', 'curl.http'], { cwd: dir });
  assert.equal(received.length, 4, stdout);
  const [chrome, postman, admin, upload] = received;

  assert.equal(chrome.method, 'POST');
  assert.equal(chrome.url, '/items?page=2');
  assert.equal(chrome.headers['content-type'], 'application/json');
  assert.equal(chrome.headers['x-note'], "it's t-42");
  assert.equal(chrome.headers.cookie, 'JSESSIONID=abc123; theme=dark');
  assert.equal(chrome.body, '{"name":"a"}');

  assert.equal(postman.method, 'PUT');
  assert.equal(postman.url, '/users/1');
  assert.equal(postman.body, '{\n    "name": "x"\n}');

  assert.equal(admin.method, 'DELETE');
  assert.equal(admin.headers.authorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);

  assert.equal(upload.method, 'POST');
  assert.match(upload.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
  const boundary = (upload.headers['content-type'] ?? '').split('boundary=')[1];
  assert.equal(
    upload.body,
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="doc"; filename="note.txt"',
      'Content-Type: text/plain',
      '',
      'file content',
      `--${boundary}`,
      'Content-Disposition: form-data; name="kind"',
      '',
      'memo',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
});
