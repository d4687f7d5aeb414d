// The `http-session` executable: main() on this process's arguments and streams.
import { setFlagsFromString } from 'node:v8';
import { main } from './main';

// A run is short: V8 would spend a second core (0.4-0.6 s of CPU over 1000 handlers) optimising the script
// sandbox's WebAssembly (QuickJS), work that pays off only after far more script than a run executes.
// The largest budget keeps it at its baseline tier. Set before any WebAssembly is compiled.
setFlagsFromString('--wasm-tiering-budget=2147483647');

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
