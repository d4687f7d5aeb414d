// `node dist/demo.js [--port 8080] [--host localhost] [--timeout 120]`: runs the demo server the
// examples/ folder talks to, until Ctrl+C.
import { parseArgs } from 'node:util';
import { startDemoServer } from './demoServer';

const usage = 'usage: demo [--port 8080] [--host localhost] [--timeout SECONDS]';

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a whole number, got '${value}'\n${usage}`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const sessionTimeoutSeconds = numberOption(values.timeout, 'timeout') ?? 120;
  const server = await startDemoServer({ port: numberOption(values.port, 'port') ?? 8080, host: values.host ?? 'localhost', sessionTimeoutSeconds });
  console.log(`Demo server (Spring Security-style login) listening on ${server.url}`);
  console.log(`Users: user/password, admin/admin. Sessions expire after ${sessionTimeoutSeconds} s idle. Ctrl+C stops it.`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
