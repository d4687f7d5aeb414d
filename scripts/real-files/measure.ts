// Measures how many real request files run unchanged with our CLI and with httpYac (see README.md here).
// Usage: node --import tsx scripts/real-files/measure.ts CORPUS_DIR [--httpyac PATH_TO_httpyac_BIN]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { reasonGroup, runDifferences } from './compare';
import { cookiesAskedFor, pathsAskedFor, plausibleBody, startRecorder, type Recorder, type RecordedRequest } from './recorder';

// run from the repository root, after `node esbuild.mjs`
const repoRoot = process.cwd();
const cli = join(repoRoot, 'dist', 'cli', 'bin.mjs');
const timeoutMs = 30_000;

interface ToolRun {
  ok: boolean;
  reason: string;
  sent: RecordedRequest[];
}

function requestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return requestFiles(path);
    return /\.(http|rest)$/.test(name) ? [path] : [];
  });
}

/**
 * The first environment of the nearest env file (searched from the request file's folder up to its
 * repository's, as JetBrains and our CLI search; JSON with comments), else of the nearest private one.
 */
function firstEnvironment(file: string, repositoryDir: string): string | undefined {
  for (const name of ['http-client.env.json', 'http-client.private.env.json']) {
    for (let dir = dirname(file); dir.startsWith(repositoryDir); dir = dirname(dir)) {
      const envFile = join(dir, name);
      if (!existsSync(envFile)) continue;
      const parsed: unknown = parseJsonc(readFileSync(envFile, 'utf8').replace(/^\uFEFF/, ''));
      const names = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).filter((environment) => !environment.startsWith('$')) : [];
      if (names.length > 0) return names[0];
      break;
    }
  }
  return undefined;
}

function run(command: string, args: string[], cwd: string, proxyUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      // httpYac 6.16.7 reads the http proxy from `httpProxy` (its own spelling), https from HTTPS_PROXY
      env: { ...process.env, httpProxy: proxyUrl, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '', NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a user types for the file's `# @prompt NAME` variables (REST Client asks them): `NAME=1` each, given to both tools as `--var`. */
function promptAnswers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:#|\/\/)\s*@prompt\s+([A-Za-z_][\w.-]*)/gm)].map((match) => `${match[1]}=1`);
}

/** The variable a tool refused a request for because nothing defines it, from its reason (ours, then httpYac's wording). */
function undefinedVariable(reason: string): string | undefined {
  return /Variable '([^']+)' is not defined/.exec(reason)?.[1] ?? /^(\S+) is not defined$/.exec(reason)?.[1];
}

/**
 * What a user brings for a variable no file of the repository defines (the private env file is not
 * committed): a port number for a port, a URL where the file writes it at the start of a request line
 * (without the port when the file adds one: `{{host}}:{{port}}`), else `1`.
 */
function userValue(name: string, text: string): string {
  if (/port$/i.test(name)) return `${name}=8080`;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const atUrlStart = new RegExp(`^\\s*(?:[A-Z]+\\s+)?\\{\\{\\s*${escaped}\\s*\\}\\}(:?)`, 'm').exec(text);
  if (!atUrlStart) return `${name}=1`;
  return `${name}=${atUrlStart[1] ? 'http://localhost' : 'http://localhost:8080'}`;
}

const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 160) ?? '';

async function runOurs(file: string, repositoryDir: string, env: string | undefined, recorder: Recorder, answers: string[]): Promise<ToolRun> {
  const args = [cli, 'run', file, '--json', ...(env ? ['--env', env] : []), ...answers.flatMap((answer) => ['--var', answer])];
  // From the repository's root, as a user runs it: env files are found upward from the file to there.
  const { code, stdout, stderr } = await run(process.execPath, args, repositoryDir, recorder.proxyUrl);
  const sent = recorder.take();
  if (code === 2 || code === null) return { ok: false, reason: firstLine(stderr) || firstLine(stdout) || `exit ${code}`, sent };
  try {
    const results = (JSON.parse(stdout) as { results: { error?: { code: string; message: string } | null }[] }).results;
    const failed = results.find((result) => result.error);
    // a failed test is a verdict about the response, not a refusal to send the request
    return failed?.error ? { ok: false, reason: `${failed.error.code}: ${failed.error.message}`, sent } : { ok: results.length > 0, reason: results.length ? '' : 'no requests', sent };
  } catch {
    return { ok: false, reason: firstLine(stderr) || 'no JSON output', sent };
  }
}

async function runHttpYac(httpYac: string, file: string, repositoryDir: string, env: string | undefined, recorder: Recorder, answers: string[]): Promise<ToolRun> {
  const args = ['send', file, '--all', '--json', '--insecure', ...(env ? ['--env', env] : []), ...(answers.length ? ['--var', ...answers] : [])];
  const { code, stdout, stderr } = await run(httpYac, args, repositoryDir, recorder.proxyUrl);
  const sent = recorder.take();
  if (code === null) return { ok: false, reason: 'timed out', sent };
  try {
    const output = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { requests: { response?: { statusCode?: number }; summary: { erroredTests: number }; testResults?: { status: string; message: string }[] }[] };
    // httpYac lists every `###` region, also those without a request (headings, variable blocks): those neither answer nor err
    output.requests = output.requests.filter((request) => request.response || request.summary.erroredTests > 0);
    const unanswered = output.requests.find((request) => !request.response?.statusCode);
    if (!output.requests.length) return { ok: false, reason: firstLine(stderr) || 'no requests', sent };
    return unanswered ? { ok: false, reason: unanswered.testResults?.find((result) => result.status === 'ERROR')?.message ?? 'not sent', sent } : { ok: true, reason: '', sent };
  } catch {
    return { ok: false, reason: firstLine(stderr) || firstLine(stdout) || `exit ${code}`, sent };
  }
}

async function main() {
  const corpus = process.argv[2];
  if (!corpus) throw new Error('usage: measure.ts CORPUS_DIR [--httpyac PATH]');
  const flag = process.argv.indexOf('--httpyac');
  const httpYac = flag > 0 ? process.argv[flag + 1] : '/tmp/httpyac/node_modules/.bin/httpyac';
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const recorder = await startRecorder();
  const rows: string[] = [['file', 'ours', 'ours reason', 'httpyac', 'httpyac reason', 'sent ours/httpyac', 'differences'].join('\t')];
  const ourReasons = new Map<string, number>();
  const theirReasons = new Map<string, number>();
  let ourOk = 0;
  let theirOk = 0;
  /** The same, given the user's own values for variables nothing in the repository defines. */
  let ourOkWithValues = 0;
  let theirOkWithValues = 0;
  let differing = 0;
  /** Files neither tool could run as published: a variable defined nowhere in the repository, or an included file it lacks. */
  let needInput = 0;
  const files = requestFiles(corpus).sort();
  try {
    for (const file of files) {
      const repositoryDir = join(corpus, relative(corpus, file).split('/')[0]!);
      const env = firstEnvironment(file, repositoryDir);
      const text = readFileSync(file, 'utf8');
      recorder.answerWith(plausibleBody(pathsAskedFor(text)), cookiesAskedFor(text));
      const runBoth = async (answers: string[]) => {
        const ours = await runOurs(file, repositoryDir, env, recorder, answers);
        const theirs = await runHttpYac(httpYac, file, repositoryDir, env, recorder, answers);
        // both must have sent as many requests as the other did: a tool that sent fewer refused some
        const expected = Math.max(ours.sent.length, theirs.sent.length);
        if (ours.ok && ours.sent.length < expected) Object.assign(ours, { ok: false, reason: `sent ${ours.sent.length} of ${expected} requests` });
        if (theirs.ok && theirs.sent.length < expected) Object.assign(theirs, { ok: false, reason: `sent ${theirs.sent.length} of ${expected} requests` });
        return { ours, theirs };
      };
      const { ours, theirs } = await runBoth(promptAnswers(file));
      // Again with the user's own values for what nothing in the repository defines, one variable at a time as either tool names it.
      const answers = promptAnswers(file);
      let withValues = { ours, theirs };
      for (let missing = [ours.reason, theirs.reason].map(undefinedVariable).filter((name): name is string => name !== undefined); missing.length > 0 && answers.length < 20; ) {
        answers.push(...[...new Set(missing)].map((name) => userValue(name, readFileSync(file, 'utf8'))));
        withValues = await runBoth(answers);
        missing = [withValues.ours.reason, withValues.theirs.reason].map(undefinedVariable).filter((name): name is string => name !== undefined && !answers.some((answer) => answer.startsWith(`${name}=`)));
      }
      if (withValues.ours.ok) ourOkWithValues++;
      if (withValues.theirs.ok) theirOkWithValues++;
      const differences = runDifferences(ours.sent, theirs.sent);
      if (differences.length) differing++;
      if (!ours.ok && !theirs.ok && /is not defined|Cannot read included file/.test(ours.reason)) needInput++;
      if (ours.ok) ourOk++;
      else ourReasons.set(reasonGroup(ours.reason), (ourReasons.get(reasonGroup(ours.reason)) ?? 0) + 1);
      if (theirs.ok) theirOk++;
      else theirReasons.set(reasonGroup(theirs.reason), (theirReasons.get(reasonGroup(theirs.reason)) ?? 0) + 1);
      const name = relative(corpus, file);
      rows.push([name, ours.ok ? 'ok' : 'failed', ours.reason, theirs.ok ? 'ok' : 'failed', theirs.reason, `${ours.sent.length}/${theirs.sent.length}`, differences.join('; ')].map((cell) => cell.replace(/[\t\n]/g, ' ')).join('\t'));
      console.log(`${ours.ok ? 'ok    ' : 'FAILED'} ${theirs.ok ? 'ok    ' : 'FAILED'} ${name}${ours.ok ? '' : `  — ${ours.reason}`}`);
      if (answers.length > promptAnswers(file).length) {
        console.log(`  with ${answers.join(' ')}: ours ${withValues.ours.ok ? 'ok' : withValues.ours.reason}; httpYac ${withValues.theirs.ok ? 'ok' : withValues.theirs.reason}`);
      }
    }
  } finally {
    await recorder.close();
  }
  const resultsFile = join(corpus, `results-${commit}.tsv`);
  writeFileSync(resultsFile, rows.join('\n') + '\n');
  const byCount = (reasons: Map<string, number>) => [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `  ${String(count).padStart(3)}  ${reason}`).join('\n');
  console.log(`\n${ourOk} of ${files.length} run unchanged with our CLI (${commit}), ${theirOk} with httpYac; ${differing} files where both sent a request differently`);
  console.log(
    `${needInput} files neither tool can run as published (a variable defined nowhere in their repository, or an included file it lacks); ` +
      `of the other ${files.length - needInput}: ${ourOk} with our CLI (${Math.round((100 * ourOk) / (files.length - needInput))}%), ${theirOk} with httpYac`,
  );
  console.log(
    `with the user's own values for the variables nothing in their repository defines (what a private env file holds; the same --var for both tools): ` +
      `${ourOkWithValues} of ${files.length} with our CLI (${Math.round((100 * ourOkWithValues) / files.length)}%), ${theirOkWithValues} with httpYac`,
  );
  console.log(`\nour failures, grouped:\n${byCount(ourReasons)}\n\nhttpYac failures, grouped:\n${byCount(theirReasons)}\n\nper file: ${resultsFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
