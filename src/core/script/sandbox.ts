// Runs untrusted JavaScript (JetBrains handler and pre-request scripts) in QuickJS compiled to
// WebAssembly: scripts get their own heap and see no Node — no require, import, process, fetch, file
// system or timers. Only strings cross the boundary: a JSON input, one host function that takes and
// returns strings (it also hands over the rest of the input, on the script's first use of it), and the
// JSON the script's API leaves behind.
//
// Why this build: `quickjs-emscripten-core` is the maintained binding; the `singlefile-cjs-release-sync`
// variant inlines its WASM in the JavaScript, so esbuild bundles it into the extension and the CLI with
// no file to locate at run time, and the sync build needs no asyncify (smaller, faster; scripts have
// nothing to await).
//
// A realm (one QuickJS runtime and context with the API loaded) serves the scripts of ONE file: loading
// the API costs more than a small script, and a file's scripts share an author. Scripts of different
// files never share a realm, and a realm a script broke (time or memory limit) is thrown away.
import variant from '@jitl/quickjs-singlefile-cjs-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';

export interface SandboxLimits {
  /** Heap of one realm, bytes. */
  readonly memoryBytes: number;
  /** Wall-clock time one script may run, ms (checked by QuickJS's interrupt handler, so a busy loop stops too). */
  readonly timeMs: number;
}

export const defaultSandboxLimits: SandboxLimits = { memoryBytes: 32 * 1024 * 1024, timeMs: 2_000 };

/** How a realm is made: the API code, which may call the one host function `__host(operation, argument)`. */
export interface RealmSetup {
  readonly prelude: string;
  readonly limits?: SandboxLimits;
}

export interface SandboxRun {
  /**
   * A global function the prelude defines, called with the script (a function) and `input`; what it returns
   * is the output. It prepares the API for the script, calls it, and reads what the script did.
   */
  readonly entry: string;
  readonly input: string;
  /** The script, as a function body; `fileName` and `firstLine` place its errors (its line 1 is `firstLine` of the file). */
  readonly body: string;
  /**
   * The body is an async function's (it may `await`). When the entry returns `pending`, the realm's pending
   * jobs are run within the time limit and then the global function `finish` gives the output.
   */
  readonly async?: { readonly pending: string; readonly finish: string };
  readonly fileName: string;
  readonly firstLine: number;
  /** Answers `__host(operation, argument)` while this script runs: strings in and out. */
  readonly host: (operation: string, argument: string) => string;
}

export type SandboxOutcome =
  | { readonly kind: 'done'; readonly output: string }
  | { readonly kind: 'failed'; readonly reason: 'error' | 'timeout' | 'memory'; readonly message: string; readonly line?: number };

let quickJs: Promise<QuickJSWASMModule> | undefined;

/**
 * The WebAssembly module, loaded once per process on first use: 10-30 ms of CPU, but a chain of async steps
 * (a dynamic import, the compile) that the first script of a busy machine waited 100-250 ms for.
 */
function loadQuickJs(): Promise<QuickJSWASMModule> {
  quickJs ??= newQuickJSWASMModuleFromVariant(variant);
  return quickJs;
}

/** Starts loading the module without waiting for it: started before the requests, the load runs while they do. */
export function preloadSandbox(): void {
  // A failure surfaces where a script runs and awaits the same promise.
  loadQuickJs().catch(() => undefined);
}

/** Realms of the files whose scripts ran last, newest last; a few, each bounded by its memory limit. */
const realms = new Map<string, Realm>();
const realmsKept = 4;

/** Runs one script in the realm of `realmKey` (its file), made on first use; never throws for anything the script does. */
export async function runInSandbox(realmKey: string, setup: RealmSetup, run: SandboxRun): Promise<SandboxOutcome> {
  const module = await loadQuickJs();
  let realm = realms.get(realmKey);
  realms.delete(realmKey);
  realm ??= new Realm(module, setup);
  const outcome = realm.run(run);
  if (outcome.kind === 'failed' && outcome.reason !== 'error') {
    realm.dispose();
  } else {
    realms.set(realmKey, realm);
    for (const [key, old] of realms) {
      if (realms.size <= realmsKept) break;
      old.dispose();
      realms.delete(key);
    }
  }
  return outcome;
}

class Realm {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly limits: SandboxLimits;
  private deadline = 0;
  private timedOut = false;
  /**
   * Scripts compiled in this realm (by file and text), as function handles: a handler repeated on every
   * request is compiled once, wherever it stands in the file (its errors' lines are moved to its place).
   */
  private readonly compiled = new Map<string, QuickJSHandle>();
  /** The prelude's entry function, looked up once. */
  private entry: QuickJSHandle | undefined;
  /** Who answers `__host` now: the running script's host (the realm keeps nothing of a script's input after it). */
  private host: SandboxRun['host'] = noScriptRunning;

  constructor(module: QuickJSWASMModule, setup: RealmSetup) {
    this.limits = setup.limits ?? defaultSandboxLimits;
    this.runtime = module.newRuntime();
    this.runtime.setMemoryLimit(this.limits.memoryBytes);
    this.runtime.setMaxStackSize(1024 * 1024);
    this.runtime.setInterruptHandler(() => (this.timedOut = Date.now() > this.deadline));
    this.context = this.runtime.newContext();
    const host = this.context.newFunction('__host', (operation: QuickJSHandle, argument: QuickJSHandle) => {
      try {
        return this.context.newString(this.host(this.context.getString(operation), this.context.getString(argument)));
      } catch (error) {
        return { error: this.context.newError(error instanceof Error ? error.message : String(error)) };
      }
    });
    this.context.setProp(this.context.global, '__host', host);
    host.dispose();
    this.deadline = Date.now() + this.limits.timeMs;
    const loaded = evaluate(this.context, setup.prelude, 'prelude.js');
    if (loaded.kind === 'failed') {
      this.dispose();
      throw new Error(`the script API failed to load: ${loaded.message}`);
    }
  }

  run(run: SandboxRun): SandboxOutcome {
    this.timedOut = false;
    this.deadline = Date.now() + this.limits.timeMs;
    const key = `${run.fileName}\0${run.async ? 'async ' : ''}${run.body}`;
    let script = this.compiled.get(key);
    if (script === undefined) {
      // The body starts on line 1 of this code, so an error's line + firstLine - 1 is its line in the file.
      const defined = this.context.evalCode(`(${run.async ? 'async ' : ''}function () { ${run.body}\n})`, run.fileName, { type: 'global', strict: false });
      if (defined.error) return classify(thrown(this.context, defined.error, run.fileName), this.timedOut, run.firstLine);
      script = defined.value;
      this.compiled.set(key, script);
    }
    this.entry ??= this.context.getProp(this.context.global, run.entry);
    this.host = run.host;
    try {
      let result = call(this.context, this.entry, script, run.input, run.fileName);
      if (run.async && result.kind === 'done' && result.output === run.async.pending) result = this.finishAsync(run.async.finish, run.fileName);
      return result.kind === 'failed' ? classify(result, this.timedOut, run.firstLine) : result;
    } finally {
      this.host = noScriptRunning;
    }
  }

  /** Runs what the script awaits (promise jobs, within the same deadline), then asks the prelude for the output. */
  private finishAsync(finish: string, fileName: string): Evaluated {
    const jobs = this.runtime.executePendingJobs();
    if (jobs.error) return thrown(this.context, jobs.error, fileName);
    const finishFunction = this.context.getProp(this.context.global, finish);
    try {
      return settle(this.context, this.context.callFunction(finishFunction, this.context.undefined), fileName);
    } finally {
      finishFunction.dispose();
    }
  }

  dispose(): void {
    this.entry?.dispose();
    for (const script of this.compiled.values()) script.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}

function noScriptRunning(): never {
  throw new Error('no script is running');
}

type Failed = { readonly kind: 'failed'; readonly message: string; readonly line?: number };
type Evaluated = { readonly kind: 'done'; readonly output: string } | Failed;

function evaluate(context: QuickJSContext, code: string, fileName: string): Evaluated {
  return settle(context, context.evalCode(code, fileName, { type: 'global', strict: false }), fileName);
}

/** Calls the entry function with the compiled script and a string; errors are placed in `fileName`. */
function call(context: QuickJSContext, entry: QuickJSHandle, script: QuickJSHandle, input: string, fileName: string): Evaluated {
  const text = context.newString(input);
  try {
    return settle(context, context.callFunction(entry, context.undefined, script, text), fileName);
  } finally {
    text.dispose();
  }
}

function settle(context: QuickJSContext, result: ReturnType<QuickJSContext['evalCode']>, fileName: string): Evaluated {
  if (result.error) return thrown(context, result.error, fileName);
  // Only a string is read: `dump` would dispose a promise itself, and the script decides what it returns.
  const output = context.typeof(result.value) === 'string' ? context.getString(result.value) : '';
  result.value.dispose();
  return { kind: 'done', output };
}

/** A thrown value (disposed here) as a failure placed in `fileName`. */
function thrown(context: QuickJSContext, error: QuickJSHandle, fileName: string): Failed {
  try {
    return { kind: 'failed', ...describeThrown(context, error, fileName) };
  } finally {
    error.dispose();
  }
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

/** The outcome of a failed script; `firstLine` is the file line of the script's line 1. */
function classify(failed: Failed, timedOut: boolean, firstLine: number): SandboxOutcome {
  // An interrupted script's stack points at its first line, not where it looped: no line then.
  if (timedOut) return { kind: 'failed', reason: 'timeout', message: failed.message };
  if (/out of memory/i.test(failed.message)) return { kind: 'failed', reason: 'memory', message: failed.message };
  return { kind: 'failed', reason: 'error', message: failed.message, line: failed.line === undefined ? undefined : failed.line + firstLine - 1 };
}
