import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { detectCookieFileFormat, formatCookieFile, parseCookieFile, type CookieFileFormat } from '../core/cookies/cookieFiles';
import { systemClock } from '../core/ports';
import { SessionRegistry } from '../core/session';
import { maskSecret } from '../core/secrets';
import { CliUsageError, parseArgs, type CommandIo } from './io';
import { JsonFileStorage } from './jsonFileStorage';

const help = `Usage: http-session cookies list|clear|import FILE|export --session PATH [--name SESSION]
                             [--format netscape|jetbrains] [--show-values]

  list              the session's cookies (values masked unless --show-values)
  clear             delete every cookie of the session
  import FILE       add cookies from curl's cookies.txt or JetBrains' http-client.cookies
  export            print the cookies as cookies.txt (netscape, default) or http-client.cookies (jetbrains)
  --name SESSION    a named session (# @session NAME); default: the default session`;

/** `http-session cookies`: the Cookies view's operations on a saved session file. */
export async function runCookiesCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.out(help);
    return 0;
  }
  const { positionals, flags, values } = parseArgs(args, { flags: ['--show-values'], values: ['--session', '--format', '--name'] });
  const [action, file, ...extra] = positionals;
  const sessionPath = values.get('--session')?.at(-1);
  if (!sessionPath) throw new CliUsageError('needs --session PATH (the file `run --session` writes)');
  const format = values.get('--format')?.at(-1);
  if (format !== undefined && format !== 'netscape' && format !== 'jetbrains') throw new CliUsageError(`--format is netscape or jetbrains, not '${format}'`);
  if (extra.length > 0 || (action === 'import') !== (file !== undefined)) throw new CliUsageError(`expects: ${help.split('\n')[0].replace('Usage: ', '')}`);

  const { registry, problem } = await SessionRegistry.restore(new JsonFileStorage(resolve(io.cwd, sessionPath)), { clock: systemClock, keepTokens: true });
  if (problem) io.err(`warning: ${sessionPath}: ${problem}`);
  try {
    const session = registry.get(values.get('--name')?.at(-1));
    switch (action) {
      case 'list':
        for (const c of session.listCookies()) {
          const flagsText = [c.secure && 'Secure', c.httpOnly && 'HttpOnly', !c.expires && 'session'].filter(Boolean).join(' ');
          io.out(`${c.domain}\t${c.path}\t${c.name}=${flags.has('--show-values') ? c.value : maskSecret(c.value)}\t${c.expires ?? ''}\t${flagsText}`);
        }
        return 0;
      case 'clear':
        await session.clearCookies();
        await registry.save();
        return 0;
      case 'export':
        io.out(formatCookieFile(session.listCookies(), (format ?? 'netscape') as CookieFileFormat).trimEnd());
        return 0;
      case 'import': {
        const text = await readFile(resolve(io.cwd, file!), 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new CliUsageError(`cannot read ${file}: ${error.code ?? String(error)}`);
        });
        const parsed = parseCookieFile(text, (format as CookieFileFormat | undefined) ?? detectCookieFileFormat(text), systemClock.now());
        for (const p of parsed.problems) io.err(`${file}:${p.line}: ${p.kind === 'error' ? 'error' : 'skipped'}: ${p.message}`);
        const { imported, refused } = await session.importCookies(parsed.cookies);
        for (const { cookie, reason } of refused) io.err(`${file}: ${cookie.name} (${cookie.domain}): ${reason}`);
        await registry.save();
        io.out(`imported ${imported} cookie(s)`);
        // Nothing already in the session is lost either way; a bad line is still a usage error.
        return refused.length > 0 || parsed.problems.some((p) => p.kind === 'error') ? 2 : 0;
      }
      default:
        throw new CliUsageError(`unknown action '${action ?? ''}': list, clear, import FILE or export`);
    }
  } finally {
    registry.dispose();
  }
}
