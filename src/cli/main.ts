import { runCookiesCommand } from './cookiesCommand';
import { runExportCommand } from './exportCommand';
import { runParseCommand } from './parseCommand';
import { runRunCommand } from './runCommand';
import { CliUsageError, type CommandIo } from './io';
import { describeError } from '../core/errors';

const usage = `Usage: http-session <command> [options]

Commands:
  parse FILE [--json]        Check a request file and list its requests
  run FILE... [options]      Send the files' requests through one session
  cookies list|clear|import FILE|export --session PATH [--format netscape|jetbrains]
  export FILE --to python    Write the file's requests as a Python requests.Session script

Run 'http-session <command> --help' for a command's options.`;

const commands: Record<string, (args: string[], io: CommandIo) => Promise<number>> = {
  parse: runParseCommand,
  run: runRunCommand,
  cookies: runCookiesCommand,
  export: runExportCommand,
};

/** Entry point: returns the process exit code (0 ok, 1 transport error, 2 usage or parse error). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.out(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`http-session: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`http-session ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
    cwd: process.cwd(),
    env: process.env,
  }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`http-session: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
