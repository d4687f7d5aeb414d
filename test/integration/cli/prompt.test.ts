// `# @prompt` from the command line (node dist/cli.js as a whole process) against a loopback server
// that records what arrives: `--var` answers it, a terminal is asked (through a real pseudo-terminal,
// util-linux `script`), and with nobody to ask the request is refused with what to do, the file's
// other requests still sent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildExtension } from '../../support/build';
import { cliPath, runCli } from '../../support/cli';

describe('# @prompt on the command line (whole process)', () => {
  let server: Server;
  let dir: string;
  let received: string[] = [];

  before(async () => {
    await buildExtension();
    server = createServer((request, response) => {
      received.push(request.url ?? '');
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    dir = mkdtempSync(join(tmpdir(), 'hs-prompt-'));
    writeFileSync(
      join(dir, 'orders.http'),
      ['# @prompt orderId The order to fetch', '# @prompt password', `GET ${host}/orders/{{orderId}}?pin={{password}}`, '', '###', `GET ${host}/health`, ''].join('\n'),
    );
  });
  beforeEach(() => (received = []));
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--var answers the prompts: nothing is asked', async () => {
    const run = await runCli(dir, 'run', 'orders.http', '--var', 'orderId=42', '--var', 'password=s3cret');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(received, ['/orders/42?pin=s3cret', '/health']);
  });

  it('with nobody at a terminal, the request is refused at its line with the --var to give; the others are sent', async () => {
    const run = await runCli(dir, 'run', 'orders.http', '--var', 'orderId=42');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^orders\.http:3:1: not sent: `# @prompt password` has no answer: give it with --var password=VALUE$/m);
    assert.deepEqual(received, ['/health']);
  });

  it('on a terminal it asks each prompt with its question, hides a secret answer and masks it in the trace', async () => {
    // `script` gives the CLI a real terminal; what it prints there comes back on script's stdout.
    const command = [process.execPath, cliPath, 'run', 'orders.http', '-v'].map((word) => `'${word}'`).join(' ');
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir });
    let screen = '';
    const waiting = new Set<() => void>();
    terminal.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      for (const check of waiting) check();
    });
    const shown = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!screen.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        terminal.once('exit', () => reject(new Error(`exited before showing ${JSON.stringify(text)}:\n${screen}`)));
        check();
      });
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', resolve));
    await shown('The order to fetch (orderId): ');
    terminal.stdin.write('42\r');
    await shown('password (password), not shown: ');
    terminal.stdin.write('s3cret-answer\r');
    assert.equal(await exited, 0, screen);
    assert.deepEqual(received, ['/orders/42?pin=s3cret-answer', '/health']);
    assert.ok(!screen.includes('s3cret-answer'), `the secret answer is neither echoed nor traced:\n${screen}`);
    assert.match(screen, /GET http:\/\/127\.0\.0\.1:\d+\/orders\/42\?pin=/, 'the -v trace shows the request');
  });
});
