// `# @prompt` on a terminal: the question on stderr (stdout may be piped to a file), the answer read
// from stdin, not echoed when the variable looks secret.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { PromptQuestion } from '../core/run/runRequest';

/** Asks on the terminal; `undefined` when stdin or stderr is not one (nobody can answer) or on Ctrl+D. */
export function terminalPrompt(): ((question: PromptQuestion) => Promise<string | undefined>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async ({ name, description, secret }) => {
    let echo = true;
    // readline echoes what is typed through its output: a secret answer goes to a stream that drops it.
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (echo) process.stderr.write(chunk);
        done();
      },
    });
    const lines = createInterface({ input: process.stdin, output, terminal: true });
    const closed = new Promise<undefined>((resolve) => lines.once('close', () => resolve(undefined)));
    try {
      process.stderr.write(`${description ?? name} (${name})${secret ? ', not shown' : ''}: `);
      echo = !secret;
      const answer = await Promise.race([lines.question(''), closed]);
      if (secret) process.stderr.write('\n');
      return answer;
    } finally {
      lines.close();
    }
  };
}
