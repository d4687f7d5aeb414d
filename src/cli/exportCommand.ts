import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { exportPythonScript } from '../core/export/pythonExport';
import { parseRequestFile } from '../core/parse';
import { loadEnvironments } from '../core/vars/environments';
import { defaultCsrfNames } from '../core/doctor/context';
import { CliUsageError, parseArgs, type CommandIo } from './io';
import { nodeFileReader } from './nodeFileReader';

const help = `Usage: http-session export FILE [--env NAME] [--name REQ]... --to python

Writes the file's requests as one Python requests.Session script on stdout: cookies kept across the
flow, chained values read from earlier responses, the CSRF token sent like HTTP Session sends it.
Private env values are never written: the script reads them from environment variables it names.
  --env NAME   environment from http-client.env.json for the values written as constants
  --name REQ   only the request(s) with this @name (repeatable)
  --to python  the language (the only one for now)
Exit: 0 written, 2 usage or file errors (named file:line).`;

/** `http-session export`: see `help`. */
export async function runExportCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.out(help);
    return 0;
  }
  const { positionals, values } = parseArgs(args, { flags: [], values: ['--env', '--name', '--to'] });
  if (positionals.length !== 1) throw new CliUsageError('expects exactly one FILE');
  const to = values.get('--to')?.at(-1);
  if (to !== 'python') throw new CliUsageError(to ? `cannot export to '${to}': --to python` : 'expects --to python');
  const path = resolve(io.cwd, positionals[0]!);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliUsageError(`cannot read ${positionals[0]}: ${error.code ?? String(error)}`);
  });
  const file = parseRequestFile(text, path);
  const errors = file.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) io.err(`${positionals[0]}:${d.range.startLine + 1}:${d.range.startColumn + 1}: error: ${d.message}`);
  if (errors.length > 0) return 2;
  const only = new Set(values.get('--name') ?? []);
  const missing = [...only].filter((name) => !file.requests.some((request) => request.name === name));
  if (missing.length > 0) throw new CliUsageError(`no request named ${missing.map((name) => `'${name}'`).join(', ')} in ${positionals[0]}`);
  const environments = await loadEnvironments(path, io.cwd, nodeFileReader);
  for (const d of environments.diagnostics) io.err(`${relative(io.cwd, d.file)}:${d.range.startLine + 1}: ${d.severity}: ${d.message}`);
  const environmentName = values.get('--env')?.at(-1);
  if (environmentName && !environments.names.includes(environmentName)) throw new CliUsageError(`no environment '${environmentName}' (${environments.names.join(', ') || 'no env file found'})`);
  const requests = only.size > 0 ? file.requests.filter((request) => request.name !== undefined && only.has(request.name)) : undefined;
  const { script } = exportPythonScript({ file, requestFile: path, environments, environmentName, requests, csrf: { ...defaultCsrfNames, mode: 'auto' } });
  io.out(script.trimEnd());
  return 0;
}
