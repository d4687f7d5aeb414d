// Runs untrusted JavaScript (JetBrains handler and pre-request scripts) in QuickJS compiled to
// WebAssembly: the script gets its own heap and sees no Node — no require, import, process, fetch,
// file system or timers. Only strings cross the boundary: a JSON input, one host function that takes
// and returns strings, and the JSON the script's API leaves behind.
//
// Why this build: `quickjs-emscripten-core` is the maintained binding; the `singlefile-cjs-release-sync`
// variant inlines its WASM in the JavaScript, so esbuild bundles it into the extension and the CLI with
// no file to locate at run time, and the sync build needs no asyncify (smaller, faster; scripts have
// nothing to await).
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten-core';

export interface SandboxLimits {
  /** Heap of one script, bytes. */
  readonly memoryBytes: number;
  /** Wall-clock time one script may run, ms (checked by QuickJS's interrupt handler, so a busy loop stops too). */
  readonly timeMs: number;
}

export const defaultSandboxLimits: SandboxLimits = { memoryBytes: 32 * 1024 * 1024, timeMs: 2_000 };

export interface SandboxRun {
  /** Library code evaluated before the script, in the same context (the API the script sees). */
  readonly prelude: string;
  /** Name of a global the prelude reads its input from (a JSON string), deleted before the script runs. */
  readonly inputGlobal: string;
  readonly input: string;
  /** The script; `fileName` and `firstLine` place its errors (line 1 of the script is `firstLine` of the file). */
  readonly source: string;
  readonly fileName: string;
  readonly firstLine: number;
  /** An expression evaluated after the script that yields the output JSON string. */
  readonly outputExpression: string;
  /** The one host function, `__host(operation, argument)`, strings in and out; throwing makes a script error. */
  readonly host: (operation: string, argument: string) => string;
  readonly limits?: SandboxLimits;
}

export type SandboxOutcome =
  | { readonly kind: 'done'; readonly output: string }
  | { readonly kind: 'failed'; readonly reason: 'error' | 'timeout' | 'memory'; readonly message: string; readonly line?: number };

let quickJs: Promise<QuickJSWASMModule> | undefined;

/** The WebAssembly module, compiled once per process on first use (~20 ms). */
function loadQuickJs(): Promise<QuickJSWASMModule> {
  quickJs ??= newQuickJSWASMModuleFromVariant(variant);
  return quickJs;
}

/** Runs prelude + script in a fresh runtime with the limits; never throws for anything the script does. */
export async function runInSandbox(run: SandboxRun): Promise<SandboxOutcome> {
  const module = await loadQuickJs();
  const limits = run.limits ?? defaultSandboxLimits;
  const runtime = module.newRuntime();
  const deadline = Date.now() + limits.timeMs;
  let timedOut = false;
  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(1024 * 1024);
    runtime.setInterruptHandler(() => (timedOut = Date.now() > deadline));
    const context = runtime.newContext();
    try {
      installHost(context, run);
      const preluded = evaluate(context, run.prelude, 'prelude.js');
      if (preluded.kind === 'failed') throw new Error(`script API failed to load: ${preluded.message}`);
      // A leading newline per missing line puts the script's line numbers on the file's.
      const ran = evaluate(context, `${'\n'.repeat(Math.max(0, run.firstLine - 1))}${run.source}`, run.fileName);
      if (ran.kind === 'failed') return classify(ran, timedOut);
      const output = evaluate(context, run.outputExpression, 'output.js');
      return output.kind === 'failed' ? classify(output, timedOut) : output;
    } finally {
      context.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

function installHost(context: QuickJSContext, run: SandboxRun): void {
  const host = context.newFunction('__host', (operation: QuickJSHandle, argument: QuickJSHandle) => {
    try {
      return context.newString(run.host(context.getString(operation), context.getString(argument)));
    } catch (error) {
      return { error: context.newError(error instanceof Error ? error.message : String(error)) };
    }
  });
  context.setProp(context.global, '__host', host);
  host.dispose();
  const input = context.newString(run.input);
  context.setProp(context.global, run.inputGlobal, input);
  input.dispose();
}

type Evaluated = { readonly kind: 'done'; readonly output: string } | { readonly kind: 'failed'; readonly message: string; readonly line?: number };

function evaluate(context: QuickJSContext, code: string, fileName: string): Evaluated {
  const result = context.evalCode(code, fileName, { type: 'global', strict: false });
  if (result.error) {
    try {
      return { kind: 'failed', ...describeThrown(context, result.error, fileName) };
    } finally {
      result.error.dispose();
    }
  }
  // Only a string is read: `dump` would dispose a promise itself, and the script decides what it returns.
  const output = context.typeof(result.value) === 'string' ? context.getString(result.value) : '';
  result.value.dispose();
  return { kind: 'done', output };
}

/** The message and the script's line of a thrown value: `name: message`, the line from the innermost frame in the script's file. */
function describeThrown(context: QuickJSContext, thrown: QuickJSHandle, fileName: string): { message: string; line?: number } {
  if (context.typeof(thrown) !== 'object') return { message: `threw ${String(context.dump(thrown))}` };
  const text = (key: string) => context.getProp(thrown, key).consume((value) => (context.typeof(value) === 'string' ? context.getString(value) : undefined));
  const [name, message, stack] = [text('name'), text('message'), text('stack')];
  // `at fn (file.http:12:5)`, or for a syntax error `at file.http:12:5`.
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = stack === undefined ? null : new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return { message: name !== undefined && message !== undefined ? `${name}: ${message}` : `threw ${message ?? 'an object'}`, line: frame ? Number(frame[1]) : undefined };
}

function classify(failed: Extract<Evaluated, { kind: 'failed' }>, timedOut: boolean): SandboxOutcome {
  // An interrupted script's stack points at its first line, not where it looped: no line then.
  if (timedOut) return { kind: 'failed', reason: 'timeout', message: failed.message };
  if (/out of memory/i.test(failed.message)) return { kind: 'failed', reason: 'memory', message: failed.message };
  return { kind: 'failed', reason: 'error', message: failed.message, line: failed.line };
}
