// The `http-session` executable: main() on this process's arguments and streams.
import { main } from './main';

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  cwd: process.cwd(),
  env: process.env,
}).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`http-session: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
