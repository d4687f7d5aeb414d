import { CliUsageError, type CommandIo } from './io';

const usage = `Usage: http-session <command> [options]

Commands:
  parse FILE [--json]        Check a request file and list its requests
  run FILE... [options]      Send the files' requests through one session
  cookies list|clear|import FILE|export --session PATH [--format netscape|jetbrains]
  export FILE --to python    Write the file's requests as a Python requests.Session script

Run 'http-session <command> --help' for a command's options.`;

// Loaded on use: the build splits each command into its own chunk, so `parse` starts without the
// HTTP stack (undici, tough-cookie) that only `run` and `cookies` need.
const commands: Record<string, (args: string[], io: CommandIo) => Promise<number>> = {
  parse: async (args, io) => (await import('./parseCommand')).runParseCommand(args, io),
  run: async (args, io) => (await import('./runCommand')).runRunCommand(args, io),
  cookies: async (args, io) => (await import('./cookiesCommand')).runCookiesCommand(args, io),
  export: async (args, io) => (await import('./exportCommand')).runExportCommand(args, io),
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
