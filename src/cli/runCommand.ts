import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { requestAsSent, type Exchange, type ResponseRecord } from '../core/model/exchange';
import type { ParsedFile } from '../core/model/request';
import { parseRequestFile } from '../core/parse';
import { systemClock, type Logger } from '../core/ports';
import { preloadScriptSandbox } from '../core/run/requestScripts';
import { runRequest, type RunContext } from '../core/run/runRequest';
import { SessionRegistry } from '../core/session';
import { maskHeaderValue, SecretValues } from '../core/secrets';
import { loadEnvironments } from '../core/vars/environments';
import { formatBytes } from '../shared/panel/format';
import { CliUsageError, parseArgs, type CommandIo } from './io';
import { JsonFileStorage, memoryStorage } from './jsonFileStorage';
import { terminalPrompt } from './terminalPrompt';
import { junitReport, type JunitFile, type JunitRequest } from './junitReport';
import { nodeFileReader } from './nodeFileReader';

const help = `Usage: http-session run FILE... [--env NAME] [--var NAME=VALUE]... [--name REQ]...
                         [--session PATH] [--json] [--junit PATH] [--explain] [-v]

Sends the files' requests in order through one session (named sessions apart).
  --env NAME        environment from http-client.env.json (+ private)
  --var NAME=VALUE  a variable that overrides every other, or answers a # @prompt (repeatable)
  --name REQ        only the request(s) with this @name (repeatable)
  --session PATH    load the session (cookies, OAuth2 tokens) from PATH if present, save it after the run
  --json            one JSON document with every result (tests included)
  --junit PATH      write the tests (client.test in response handlers) as a JUnit XML report
  --explain         say why a 401/403 happened, from the evidence
  -v                trace each hop's headers and the scripts' client.log on stderr (secrets masked)
Exit: 0 every request got an HTTP response and every test passed, 1 a transport error or a failed
test, 2 usage or file errors (the requests without errors are still sent).`;

interface LoadedFile {
  readonly path: string;
  readonly display: string;
  readonly parsed: ParsedFile;
  /** Requests with a parse error in them: reported, not sent. */
  readonly broken: ReadonlySet<ParsedFile['requests'][number]>;
}

/** `http-session run`: see `help`. */
export async function runRunCommand(args: string[], unmaskedIo: CommandIo): Promise<number> {
  // Every line goes out with the secret values the requests used (private env, process env, .env, cookies) masked.
  const secrets = new SecretValues();
  const io: CommandIo = { ...unmaskedIo, out: (text) => unmaskedIo.out(secrets.mask(text)), err: (text) => unmaskedIo.err(secrets.mask(text)) };
  if (args.includes('--help')) {
    io.out(help);
    return 0;
  }
  const { positionals, flags, values } = parseArgs(args, { flags: ['--json', '--explain', '-v'], values: ['--env', '--var', '--name', '--session', '--junit'] });
  if (positionals.length === 0) throw new CliUsageError('expects at least one FILE');
  const cliVariables: Record<string, string> = {};
  for (const pair of values.get('--var') ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliUsageError(`--var expects NAME=VALUE, got '${pair}'`);
    cliVariables[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const names = new Set(values.get('--name') ?? []);
  const json = flags.has('--json');

  const files: LoadedFile[] = [];
  let fileErrors = 0;
  for (const positional of positionals) {
    const path = resolve(io.cwd, positional);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliUsageError(`cannot read ${positional}: ${error.code ?? String(error)}`);
    });
    const parsed = parseRequestFile(text, path);
    // An error belongs to the request it is written in: that one is not sent, the file's others are.
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    for (const d of parsed.diagnostics) io.err(`${positional}:${d.range.startLine + 1}:${d.range.startColumn + 1}: ${d.severity}: ${d.message}`);
    fileErrors += errors.length;
    const broken = parsed.requests.filter((request) => errors.some((d) => d.range.startLine >= request.range.startLine && d.range.startLine <= request.range.endLine));
    files.push({ path, display: positional, parsed, broken: new Set(broken) });
    // Now rather than at the first request: the sandbox loads while the session is restored and the requests before the first script run.
    preloadScriptSandbox(parsed);
  }
  if (names.size > 0) {
    const known = new Set(files.flatMap((f) => f.parsed.requests.map((r) => r.name)));
    const missing = [...names].filter((n) => !known.has(n));
    if (missing.length) throw new CliUsageError(`no request named ${missing.map((n) => `'${n}'`).join(', ')} in the given files`);
  }

  const sessionPath = values.get('--session')?.at(-1);
  const logger = verboseLogger(io, flags.has('-v') && !json);
  const { registry, problem } = await SessionRegistry.restore(sessionPath ? new JsonFileStorage(resolve(io.cwd, sessionPath)) : memoryStorage, {
    logger,
    clock: systemClock,
    keepTokens: true,
    // No browser is opened from a terminal: the user opens the URL (on any machine for the device grant) and the run waits.
    authorizationPrompt: {
      openAuthorizationUrl: (url, { configName, userCode }) =>
        io.err(userCode ? `auth configuration '${configName}': open ${url} and confirm the code ${userCode}; waiting…` : `auth configuration '${configName}': sign in at ${url}\nwaiting for the browser to come back…`),
    },
  });
  if (problem) io.err(`warning: ${sessionPath}: ${problem}`);

  const results: object[] = [];
  const junit: JunitFile[] = [];
  let tokenEvents: object[] = [];
  let exitCode = 0;
  try {
    for (const file of files) {
      const junitRequests: JunitRequest[] = [];
      junit.push({ file: file.display, requests: junitRequests });
      const environments = await loadEnvironments(file.path, io.cwd, nodeFileReader);
      for (const d of environments.diagnostics) io.err(`${relative(io.cwd, d.file)}:${d.range.startLine + 1}: ${d.severity}: ${d.message}`);
      const context: RunContext = {
        registry,
        reader: nodeFileReader,
        clock: systemClock,
        processEnv: io.env,
        environmentName: values.get('--env')?.at(-1),
        environments,
        cliVariables,
        askPrompt: terminalPrompt(),
      };
      for (const template of file.parsed.requests) {
        if (file.broken.has(template) || (names.size > 0 && (!template.name || !names.has(template.name)))) continue;
        const where = `${file.display}:${template.requestLineRange.startLine + 1}`;
        const outcome = await runRequest(template, file.parsed, file.path, context, {
          onWillSend: (request) => request.secrets?.forEach((value) => secrets.add(value)),
        });
        if (outcome.kind === 'refused') {
          for (const d of outcome.diagnostics) io.err(`${file.display}:${d.range.startLine + 1}:${d.range.startColumn + 1}: not sent: ${d.message}`);
          results.push({ name: template.name ?? null, method: template.method, url: template.url, status: null, error: { code: 'HS_UNRESOLVED_VARIABLE', message: outcome.diagnostics[0].message } });
          exitCode = 2;
          continue;
        }
        const { exchange } = outcome;
        const tests = exchange.tests ?? [];
        if ((exchange.error || tests.some((test) => !test.passed)) && exitCode === 0) exitCode = 1;
        for (const line of exchange.scriptLog ?? []) logger.trace(`${where}: client.log: ${line}`);
        if (tests.length > 0) junitRequests.push({ request: template.name ?? `${template.method} ${template.url}`, tests, timeMs: exchange.timings.totalMs });
        if (json) results.push(jsonResult(exchange));
        else printHuman(io, where, exchange, flags.has('--explain'));
      }
    }
  } finally {
    tokenEvents = tokenEventsOf(registry);
    await registry.save();
    registry.dispose();
  }
  // Masked value by value, not as text: a secret such as a port `3000` must not mask part of a number and break the JSON.
  if (json) unmaskedIo.out(JSON.stringify({ results, tokenEvents }, (_key, value: unknown) => (typeof value === 'string' ? secrets.mask(value) : value), 2));
  if (fileErrors > 0) exitCode = 2;
  const junitPath = values.get('--junit')?.at(-1);
  if (junitPath) await writeFile(resolve(io.cwd, junitPath), junitReport(junit, (text) => secrets.mask(text)));
  return exitCode;
}

function jsonResult(exchange: Exchange): object {
  return {
    name: exchange.request.name ?? null,
    ...requestAsSent(exchange),
    status: exchange.response?.status ?? null,
    error: exchange.error ?? null,
    body: exchange.response ? jsonBody(exchange.response) : null,
    timings: exchange.timings,
    connectionReused: exchange.connectionReused,
    cookies: {
      sent: exchange.cookies.sent.map((c) => ({ name: c.name, source: c.source })),
      stored: exchange.cookies.stored.map((c) => ({ name: c.name, domain: c.domain, path: c.path })),
      rejected: exchange.cookies.rejected.map((c) => ({ setCookie: maskHeaderValue('set-cookie', c.setCookie), reason: c.reason })),
    },
    events: exchange.sessionEvents.map((e) => ({ kind: e.kind, cookie: e.cookieName, domain: e.domain, path: e.path, at: new Date(e.at).toISOString(), ...(e.idleGapMs !== undefined ? { idleGapMs: e.idleGapMs } : {}) })),
    findings: exchange.findings,
    tests: exchange.tests ?? [],
  };
}

/** The OAuth2 tokens' lifetimes in the run (issued, refreshed, expired, revoked, used): never their values. */
function tokenEventsOf(registry: SessionRegistry): object[] {
  return registry.sessions.flatMap((session) =>
    session.tokenTimeline().map((e) => ({
      session: session.name,
      kind: e.kind,
      config: e.configName,
      ...(e.grant && { grant: e.grant }),
      ...(e.scope && { scope: e.scope }),
      at: new Date(e.at).toISOString(),
      ...(e.expiresAt !== undefined && { expiresAt: new Date(e.expiresAt).toISOString() }),
    })),
  );
}

function jsonBody(response: ResponseRecord): object {
  return {
    size: response.bodySize,
    ...(response.encodedBodySize !== undefined ? { encodedSize: response.encodedBodySize } : {}),
    truncated: response.truncated,
    ...(response.decodingProblem !== undefined ? { decodingProblem: response.decodingProblem } : {}),
  };
}

/** What a reader of the output must know about the body: why it is cut or not decoded. */
function bodyNote(response: ResponseRecord): string | undefined {
  if (response.decodingProblem !== undefined) return response.decodingProblem;
  if (response.truncated) return `truncated at ${formatBytes(response.body.length)}, the rest was not read.`;
  return undefined;
}

function printHuman(io: CommandIo, where: string, exchange: Exchange, explain: boolean): void {
  const label = exchange.request.name ? `  (${exchange.request.name})` : '';
  const sent = requestAsSent(exchange);
  const time = `${Math.round(exchange.timings.totalMs)} ms`;
  if (exchange.error) {
    io.out(`✗ ${exchange.error.code}  ${time}  ${sent.method} ${sent.url}${label}  ${where}\n    ${exchange.error.message}`);
  } else if (exchange.response) {
    const { status, statusText } = exchange.response;
    io.out(`${status < 400 ? '✓' : '!'} ${status}${statusText ? ' ' + statusText : ''}  ${time}  ${sent.method} ${sent.url}${label}  ${where}`);
    const note = bodyNote(exchange.response);
    if (note) io.out(`    body: ${note}`);
  }
  for (const hop of exchange.redirects) io.out(`    ↪ ${hop.status} ${hop.method} ${hop.url} → ${hop.location}`);
  for (const c of exchange.cookies.stored) io.out(`    cookie set: ${c.name} (${c.domain}${c.path})`);
  for (const c of exchange.cookies.rejected) io.out(`    cookie rejected: ${maskHeaderValue('set-cookie', c.setCookie)} — ${c.reason}`);
  for (const e of exchange.sessionEvents) io.out(`    session: ${e.cookieName} ${e.kind}${e.idleGapMs !== undefined ? ` after ${Math.round(e.idleGapMs / 1000)} s idle` : ''}`);
  for (const test of exchange.tests ?? []) io.out(`    ${test.passed ? '✓' : '✗'} test: ${test.name}${test.passed ? '' : ` — ${test.message ?? 'failed'}`}`);
  if (explain) {
    for (const finding of exchange.findings) {
      io.out(`    why: [${finding.id}] ${finding.message}`);
      for (const line of finding.evidence) io.out(`      - ${line}`);
      if (finding.fix) io.out(`      fix: ${finding.fix.title}`);
    }
  }
}

function verboseLogger(io: CommandIo, verbose: boolean): Logger {
  const nothing = () => undefined;
  return { trace: verbose ? (m) => io.err(m) : nothing, info: nothing, warn: (m) => io.err(`warning: ${m}`), error: (m) => io.err(`error: ${m}`) };
}

