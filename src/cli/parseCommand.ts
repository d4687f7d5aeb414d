import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseHttpFile } from '../core/parse/httpParser';
import { isYamlRequestFile } from '../core/parse/requestFileKind';
import type { BodySegment, HeaderTemplate } from '../core/model/request';
import { CliUsageError, parseArgs, type CommandIo } from './io';

/** `http-session parse FILE [--json]`: exit 2 when the file has errors, each named file:line. */
export async function runParseCommand(args: string[], io: CommandIo): Promise<number> {
  const { positionals, flags } = parseArgs(args, { flags: ['--json'] });
  if (positionals.length !== 1) throw new CliUsageError('expects exactly one FILE');
  const file = resolve(io.cwd, positionals[0]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // The YAML parser (and the yaml package, most of this command's start-up) is loaded only for YAML files.
  const parsed = isYamlRequestFile(file) ? (await import('../core/parse/yamlParser')).parseYamlRequestFile(text) : parseHttpFile(text);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (flags.has('--json')) {
    io.out(
      JSON.stringify({
        requests: parsed.requests.map((request) => ({
          name: request.name ?? request.title ?? null,
          method: request.method,
          url: request.url,
          headers: headersObject(request.headers),
          body: request.body ? bodyText(request.body) : null,
          line: request.requestLineRange.startLine + 1,
        })),
        diagnostics: parsed.diagnostics.map((d) => ({ line: d.range.startLine + 1, message: d.message, severity: d.severity })),
      }),
    );
  } else {
    for (const request of parsed.requests) {
      io.out(`${positionals[0]}:${request.requestLineRange.startLine + 1}  ${request.method} ${request.url}${request.name ? `  (${request.name})` : ''}`);
    }
  }
  for (const d of parsed.diagnostics) {
    io.err(`${positionals[0]}:${d.range.startLine + 1}:${d.range.startColumn + 1}: ${d.severity}: ${d.message}`);
  }
  return errors.length > 0 ? 2 : 0;
}

/**
 * The headers as one object, a repeated name keeping its first place and its last value. Assigned one by one:
 * `Object.fromEntries` over a pair per header was the slowest part of `--json`. Only `__proto__` is defined
 * instead, as an assignment to it would set the prototype.
 */
function headersObject(headers: readonly HeaderTemplate[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let index = 0; index < headers.length; index++) {
    const { name, value } = headers[index];
    if (name === '__proto__') Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
    else object[name] = value;
  }
  return object;
}

/** The body as the file writes it: text, with includes shown as their `<` lines. */
function bodyText(segments: readonly BodySegment[]): string {
  // Most bodies are one piece of text.
  if (segments.length === 1 && segments[0].kind === 'text') return segments[0].text;
  return segments.map((s) => (s.kind === 'text' ? s.text : `${s.substitute ? '<@' : '<'} ${s.path}`)).join('\n');
}
