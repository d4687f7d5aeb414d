// `npm run bench -- parse`: the .http parser on a generated 10,000-request file, in this process and
// as the whole `http-session parse --json` process next to Node's own start-up.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';
import type { ParsedFile } from '../src/core/model/request';
import { pathologicalHttp } from '../test/support/pathologicalHttp';

const requestCount = 10_000;
const warmupRuns = 5;
const measuredRuns = 21;
const processRuns = 20;
const repo = join(__dirname, '..');

/** A realistic file: file variables, named requests with directives, headers, JSON bodies, handlers. */
export function generateHttpFile(count: number): string {
  const parts: string[] = ['@host = localhost:8080', '@base = http://{{host}}/api', ''];
  for (let index = 0; index < count; index++) {
    switch (index % 4) {
      case 0:
        parts.push(
          `### create item ${index}`,
          `# @name create${index}`,
          '# @timeout 5 s',
          `POST {{base}}/items?trace={{$uuid}} HTTP/1.1`,
          'Content-Type: application/json',
          'Accept: application/json',
          'Authorization: Bearer {{login.response.body.$.token}}',
          '',
          '{',
          `  "name": "item ${index}",`,
          `  "owner": "{{user}}",`,
          `  "tags": ["a", "b", "c"],`,
          `  "price": ${index}.99`,
          '}',
          '',
          '> {%',
          '  client.test("created", () => client.assert(response.status === 201));',
          '%}',
          '',
        );
        break;
      case 1:
        parts.push(
          `### item${index}`,
          `GET {{base}}/items/${index}`,
          '    ?expand=owner',
          '    &fields=name,price',
          'Accept: application/json',
          'X-Request-Id: {{$uuid}}',
          '',
        );
        break;
      case 2:
        parts.push(
          '###',
          `# @name update${index}`,
          '# @no-redirect',
          `PUT {{base}}/items/${index}`,
          'Content-Type: application/json',
          'If-Match: "{{create0.response.headers.ETag}}"',
          '',
          `{"name": "renamed ${index}", "price": {{price}}}`,
          '',
        );
        break;
      default:
        parts.push(
          `### delete ${index}`,
          `DELETE {{base}}/items/${index}`,
          'Cookie: JSESSIONID={{session}}',
          '',
          '>> out/delete.json',
          '',
        );
    }
  }
  return parts.join('\n');
}

/** The value below which `fraction` of the times lie: 0.5 is the median. */
function quantile(times: readonly number[], fraction: number): number {
  return [...times].sort((a, b) => a - b)[Math.floor((times.length - 1) * fraction)];
}

function median(times: readonly number[]): number {
  return quantile(times, 0.5);
}

export interface ParseBenchResult {
  readonly name: string;
  readonly requests: number;
  /** In this process, after a warm-up: the parser bundled by esbuild, as the extension and the CLI run it. */
  readonly medianMs: number;
  /**
   * The quartiles of those runs. On this machine an allocation-heavy loop runs at two speeds, in phases of about
   * ten parses (24 ms and 38 ms, the same code in one process): the quartiles show which phase the median fell in.
   */
  readonly quartilesMs: readonly [number, number];
  /** Heap the parse result keeps alive: what the garbage collector copies while a parse runs, the most of its time. */
  readonly resultHeapMb: number;
  /** Of `pathologicalHttp`: the largest (time for the input ×4) / (time for the input) / 4; about 1 when linear. */
  readonly worstGrowth: number;
  /** `node dist/cli.js parse --json FILE`, the whole process. */
  readonly processMedianMs: number;
  /** `node -e 0`, measured alternately with the CLI. */
  readonly nodeStartMedianMs: number;
  /** The same command on a one-request file: what the process costs before this file's size counts. */
  readonly oneRequestProcessMedianMs: number;
  /** The file's first parse in a fresh process (the bundled parser, timed around the call): what the CLI's parse costs. */
  readonly coldParseMedianMs: number;
}

/**
 * The parser as the extension and the CLI run it: bundled by esbuild. Loaded through tsx instead, every
 * call from one module to another goes through an export getter, which costs this loop about a fifth.
 */
async function loadBundledParser(workDir: string): Promise<(text: string) => ParsedFile> {
  const outfile = join(workDir, 'httpParser.cjs');
  await esbuild.build({ entryPoints: [join(repo, 'src/core/parse/httpParser.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  return (require(outfile) as { parseHttpFile: (text: string) => ParsedFile }).parseHttpFile;
}

/** MB of heap that the value `make` returns keeps alive, between two full collections. */
function heapKeptBy(make: () => unknown): number {
  // The collector is exposed for this measurement only; the timed runs above ran without it.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const held: unknown[] = [];
  collect();
  const before = process.memoryUsage().heapUsed;
  held.push(make());
  collect();
  const after = process.memoryUsage().heapUsed;
  held.pop();
  return (after - before) / 1e6;
}

/** Parses a generated 10,000-request file after a warm-up, then times the CLI on it against `node -e 0`; medians. */
export async function runParseBench(): Promise<ParseBenchResult> {
  const workDir = join(repo, '.bench');
  mkdirSync(workDir, { recursive: true });
  const parseHttpFile = await loadBundledParser(workDir);
  const text = generateHttpFile(requestCount);
  let requests = 0;
  for (let run = 0; run < warmupRuns; run++) requests = parseHttpFile(text).requests.length;
  const times: number[] = [];
  for (let run = 0; run < measuredRuns; run++) {
    const started = performance.now();
    requests = parseHttpFile(text).requests.length;
    times.push(performance.now() - started);
  }

  const resultHeapMb = heapKeptBy(() => parseHttpFile(text));
  // Linear on the inputs built to expose quadratic scans: four times the input should take four times as long.
  const bestMs = (input: string): number => {
    let best = Infinity;
    for (let run = 0; run < warmupRuns; run++) {
      const started = performance.now();
      parseHttpFile(input);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  // Each made at least 256 kB first, so that a parse takes long enough to time on a busy machine.
  const sized = pathologicalHttp.map((input) => input.repeat(Math.ceil((256 * 1024) / input.length)));
  const worstGrowth = Math.max(...sized.map((input) => bestMs(input.repeat(4)) / bestMs(input) / 4));

  execFileSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'ignore' });
  const file = join(workDir, 'parse-10000.http');
  writeFileSync(file, text);
  const timed = (args: string[]): number => {
    const started = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore', maxBuffer: 64 * 1024 * 1024 });
    return performance.now() - started;
  };
  const oneRequestFile = join(workDir, 'parse-1.http');
  writeFileSync(oneRequestFile, generateHttpFile(1));
  const coldParse = `const text = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    const { parseHttpFile } = require(${JSON.stringify(join(workDir, 'httpParser.cjs'))});
    const started = performance.now();
    parseHttpFile(text);
    process.stdout.write(String(performance.now() - started));`;
  const processTimes: number[] = [];
  const nodeTimes: number[] = [];
  const oneRequestTimes: number[] = [];
  const coldParseTimes: number[] = [];
  for (let run = 0; run < processRuns; run++) {
    nodeTimes.push(timed(['-e', '0']));
    processTimes.push(timed([join(repo, 'dist', 'cli.js'), 'parse', '--json', file]));
    oneRequestTimes.push(timed([join(repo, 'dist', 'cli.js'), 'parse', '--json', oneRequestFile]));
    coldParseTimes.push(Number(execFileSync(process.execPath, ['-e', coldParse], { encoding: 'utf8' })));
  }
  return {
    name: `parse .http (${requestCount} requests, ${(text.length / 1024).toFixed(0)} kB)`,
    requests,
    medianMs: median(times),
    quartilesMs: [quantile(times, 0.25), quantile(times, 0.75)],
    resultHeapMb,
    worstGrowth,
    processMedianMs: median(processTimes),
    nodeStartMedianMs: median(nodeTimes),
    oneRequestProcessMedianMs: median(oneRequestTimes),
    coldParseMedianMs: median(coldParseTimes),
  };
}

/** The figures against their goals, one line each. */
export function describeParseBench(result: ParseBenchResult): string {
  const ratio = result.processMedianMs / result.nodeStartMedianMs;
  const budgetMs = 2 * result.nodeStartMedianMs - result.oneRequestProcessMedianMs;
  return [
    `parse: ${result.requests} requests in ${result.medianMs.toFixed(1)} ms in-process (median of ${measuredRuns}, quartiles ${result.quartilesMs.map((ms) => ms.toFixed(1)).join('–')}; goal < 25 ms)`,
    `parse: the result keeps ${result.resultHeapMb.toFixed(1)} MB of heap`,
    `parse: inputs built to expose quadratic scans, ×4 in size: at most ${result.worstGrowth.toFixed(2)}× of four times the time (1 = linear; best of ${warmupRuns})`,
    `parse: whole \`http-session parse --json\` process ${result.processMedianMs.toFixed(0)} ms, \`node -e 0\` ${result.nodeStartMedianMs.toFixed(0)} ms: ${ratio.toFixed(2)}x (median of ${processRuns}; goal < 2x)`,
    `parse: of that process, a one-request file takes ${result.oneRequestProcessMedianMs.toFixed(0)} ms, so under 2x leaves ${budgetMs.toFixed(0)} ms to read, parse and print the ${result.requests} requests; their first parse in a fresh process alone takes ${result.coldParseMedianMs.toFixed(0)} ms (median of ${processRuns}), ${(result.coldParseMedianMs / result.medianMs).toFixed(1)}x the warm median`,
  ].join('\n');
}

if (require.main === module) {
  runParseBench().then((result) => console.log(`${result.name}\n${describeParseBench(result)}`));
}
