// The JetBrains HTTP Client script API (client, request, response, $random, crypto, jsonPath, Window) and
// httpYac's (response.statusCode/parsedBody, test, exports, $global, console, `??` assertions: httpYacApi.ts),
// written in JavaScript that runs INSIDE the sandbox. The entry gets a JSON head (phase, flavor, the
// response without its body) and returns one JSON output; the only way out is `__host(operation, text)`,
// used for the rest of the input (`input` with its name, asked for when the script first touches it: most
// handlers read only the status) and for hashes, HMAC and JSONPath, which need Node. Keep it plain ES2020:
// QuickJS runs it, not Node.

import { httpYacApi } from './httpYacApi';

/** What the prelude reads. */
export interface ScriptInput {
  readonly phase: 'pre-request' | 'response';
  /** Whose API the script is written for: a JetBrains `{% %}` handler, or an httpYac `{{ }}` block or `??` assertion. */
  readonly flavor: 'jetbrains' | 'httpYac';
  /** httpYac: the variables a script reads by name (`token`, `host`). */
  readonly scope?: Readonly<Record<string, string>>;
  readonly globals: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string>>;
  readonly request: {
    readonly method: string;
    readonly url: { readonly raw: string; readonly substituted: string };
    readonly headers: readonly { readonly name: string; readonly raw: string; readonly substituted: string }[];
    readonly body: { readonly raw: string; readonly substituted: string };
  };
  readonly response?: {
    readonly status: number;
    readonly headers: readonly (readonly [string, string])[];
    readonly mimeType: string;
    readonly charset: string;
    readonly bodyText: string;
    readonly totalMs: number;
  };
}

/**
 * What the entry reads at once (a handler nearly always reads the response); the other parts of ScriptInput
 * it asks the host for (`input`, ScriptInputPart) on first use. Each ask costs a call out of the sandbox.
 */
export type ScriptHead = Pick<ScriptInput, 'phase' | 'flavor' | 'scope'> & { readonly response?: Omit<NonNullable<ScriptInput['response']>, 'bodyText'> };

/** The input parts the prelude asks for: the response's body too, since a handler that checks the status never reads it. */
export type ScriptInputPart = 'globals' | 'environment' | 'request' | 'responseBody';

/** What the prelude leaves; each member only when there is something in it. */
export interface ScriptOutput {
  /** `client.global` after the script, the whole map: only when the script changed it. */
  readonly globals?: Record<string, string>;
  /** `request.variables` set by a pre-request script. */
  readonly variables?: Record<string, string>;
  readonly tests?: { name: string; passed: boolean; message?: string }[];
  readonly log?: string[];
}

/** The prelude's entry point: runs a compiled script with its input (a JSON string) and returns what it did (JSON). */
export const scriptEntry = '__runScript';
/**
 * What the entry returns for a script that awaits (an httpYac block is an async function): the host runs the
 * sandbox's pending jobs, then calls `scriptFinish` for the output (or the error).
 */
export const scriptPending = '__pending';
export const scriptFinish = '__finishScript';

/** Log kept per script; the rest is cut with a note (a script may log in a loop). */
export const maxScriptLogChars = 64 * 1024;

/**
 * A script as the body of its function, so that `client.exit()` ends it quietly; an httpYac script reads
 * variables by name, from a scope object. On the script's first line, so its line numbers stay.
 */
export function wrapScript(source: string, flavor: ScriptInput['flavor']): string {
  const body = flavor === 'httpYac' ? `with (__httpYacScope) { ${source}\n}` : `${source}\n`;
  return `try { ${body}} catch (__thrown) { if (__thrown !== __exitSignal) throw __thrown; }`;
}

/** httpYac runs its blocks as async functions, so they may `await`; JetBrains scripts are plain functions. */
export function isAsyncScript(flavor: ScriptInput['flavor']): boolean {
  return flavor === 'httpYac';
}

export const jetbrainsPrelude = String.raw`
'use strict';
var __exitSignal = {};
(function () {
  var host = globalThis.__host;
  delete globalThis.__host;
  var maxLog = ${maxScriptLogChars};
  // The current script's input and what it has done so far; the entry starts them afresh.
  // The input's parts, request, response and client.global are fetched and made on first use: most
  // handlers read only one of them.
  var input, parts, globals, globalsChanged, variables, tests, log, logged, response, request, httpYac;
  var inputPart = function (name) {
    if (!has(parts, name)) parts[name] = JSON.parse(host('input', name));
    return parts[name];
  };
  var kept = function () {
    if (globals === undefined) globals = Object.assign(Object.create(null), inputPart('globals'));
    return globals;
  };
  var text = function (value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    try { var json = JSON.stringify(value); return json === undefined ? String(value) : json; } catch (e) { return String(value); }
  };
  var has = function (map, name) { return Object.prototype.hasOwnProperty.call(map, name); };
  var changeGlobals = function () { globalsChanged = true; return kept(); };

  var client = {
    global: {
      set: function (name, value) { changeGlobals()[String(name)] = text(value); },
      get: function (name) { return has(kept(), name) ? globals[name] : null; },
      isEmpty: function () { return Object.keys(kept()).length === 0; },
      clear: function (name) { delete changeGlobals()[name]; },
      clearAll: function () { globals = Object.create(null); globalsChanged = true; },
    },
    test: function (name, body) {
      try {
        body();
        tests.push({ name: text(name), passed: true });
      } catch (error) {
        if (error === __exitSignal) throw error;
        tests.push({ name: text(name), passed: false, message: error && error.message !== undefined ? String(error.message) : text(error) });
      }
    },
    assert: function (condition, message) {
      if (!condition) throw new Error(message === undefined ? 'Assertion failed' : text(message));
    },
    log: function () {
      if (logged > maxLog) return;
      var line = Array.prototype.map.call(arguments, text).join(' ');
      logged += line.length;
      log.push(logged > maxLog ? line.slice(0, maxLog - (logged - line.length)) + ' … (log cut at ' + maxLog + ' characters)' : line);
    },
    exit: function () { throw __exitSignal; },
  };

  var currentResponse = function () {
    if (response === undefined && input.response) response = httpYac ? makeHttpYacResponse(input.response) : makeResponse(input.response);
    return response;
  };
  var makeResponse = function (exchanged) {
    var headerValues = function (name) {
      var wanted = String(name).toLowerCase();
      return exchanged.headers.filter(function (h) { return h[0].toLowerCase() === wanted; }).map(function (h) { return h[1]; });
    };
    var body, bodyRead = false;
    return {
      status: exchanged.status,
      // Parsed on first read: a handler that checks the status never pays for the body.
      get body() {
        if (!bodyRead) {
          bodyRead = true;
          body = inputPart('responseBody');
          if (/json/i.test(exchanged.mimeType)) {
            try { body = JSON.parse(body); } catch (e) { /* a broken JSON body stays text */ }
          }
        }
        return body;
      },
      set body(value) { bodyRead = true; body = value; },
      headers: {
        valueOf: function (name) { var values = headerValues(name); return values.length ? values[0] : null; },
        valuesOf: function (name) { return headerValues(name); },
      },
      contentType: { mimeType: exchanged.mimeType, charset: exchanged.charset },
    };
  };

  var header = function (h) {
    return { name: h.name, value: function () { return h.substituted; }, getRawValue: function () { return h.raw; }, tryGetSubstitutedValue: function () { return h.substituted; } };
  };
  var part = function (value) {
    var call = function () { return value.substituted; };
    call.getRaw = function () { return value.raw; };
    call.tryGetSubstituted = function () { return value.substituted; };
    return call;
  };
  var makeRequest = function (given) {
    return {
      method: given.method,
      url: part(given.url),
      body: part(given.body),
      headers: {
        all: function () { return given.headers.map(header); },
        findByName: function (name) {
          var wanted = String(name).toLowerCase();
          var found = given.headers.filter(function (h) { return h.name.toLowerCase() === wanted; })[0];
          return found ? header(found) : null;
        },
      },
      environment: {
        get: function (name) { var environment = inputPart('environment'); return has(environment, name) ? environment[name] : null; },
      },
      variables: {
        set: function (name, value) { variables[String(name)] = text(value); },
        get: function (name) { return has(variables, name) ? variables[name] : null; },
      },
    };
  };

  var letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  var pick = function (alphabet, length) {
    var out = '';
    for (var i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
    return out;
  };
  var $random = {
    get uuid() { return host('uuid', ''); },
    get email() { return pick(letters.slice(0, 26), 10) + '@' + pick(letters.slice(0, 26), 7) + '.com'; },
    integer: function (from, to) {
      var low = from === undefined ? 0 : Math.ceil(from);
      var high = to === undefined ? 1000 : Math.floor(to);
      return low + Math.floor(Math.random() * (high - low));
    },
    float: function (from, to) { var low = from === undefined ? 0 : from; var high = to === undefined ? 1000 : to; return low + Math.random() * (high - low); },
    alphabetic: function (length) { return pick(letters, length); },
    alphanumeric: function (length) { return pick(letters + '0123456789_', length); },
    hexadecimal: function (length) { return pick('0123456789abcdef', length); },
    numeric: function (length) { return pick('0123456789', length); },
  };

  // crypto.sha256().updateWithText(t).digest().toHex(); crypto.hmac.sha256().withTextSecret(s)…
  var hasher = function (algorithm, secret) {
    var parts = [];
    var state = {
      updateWithText: function (value, encoding) { parts.push({ kind: 'text', value: String(value), encoding: encoding || 'utf8' }); return state; },
      updateWithHex: function (value) { parts.push({ kind: 'hex', value: String(value) }); return state; },
      updateWithBase64: function (value, urlSafe) { parts.push({ kind: urlSafe ? 'base64url' : 'base64', value: String(value) }); return state; },
      digest: function () {
        var request = JSON.stringify({ algorithm: algorithm, secret: secret, parts: parts });
        return {
          toHex: function () { return host('digest', JSON.stringify({ request: request, output: 'hex' })); },
          toBase64: function (urlSafe) { return host('digest', JSON.stringify({ request: request, output: urlSafe ? 'base64url' : 'base64' })); },
        };
      },
    };
    return state;
  };
  var crypto = { hmac: {} };
  ['sha1', 'sha256', 'sha512', 'md5'].forEach(function (algorithm) {
    crypto[algorithm] = function () { return hasher(algorithm); };
    crypto.hmac[algorithm] = function () {
      var secretOf = function (kind) { return function (value, option) { return hasher(algorithm, { kind: kind === 'base64' && option ? 'base64url' : kind, value: String(value) }); }; };
      return { withTextSecret: secretOf('text'), withHexSecret: secretOf('hex'), withBase64Secret: secretOf('base64') };
    };
  });

  var jsonPath = function (value, expression) {
    var found = JSON.parse(host('jsonPath', JSON.stringify({ json: typeof value === 'string' ? JSON.parse(value) : value, path: String(expression) })));
    return found.length === 0 ? null : found.length === 1 ? found[0] : found;
  };
  var base64 = {
    btoa: function (value) { return host('btoa', String(value)); },
    atob: function (value) { return host('atob', String(value)); },
  };

  var fixed = function (name, value) { Object.defineProperty(globalThis, name, { value: value, writable: false, configurable: false, enumerable: false }); };
  var current = function (name, read) { Object.defineProperty(globalThis, name, { get: read, configurable: false, enumerable: false }); };
  fixed('client', client);
  fixed('$random', $random);
  fixed('crypto', crypto);
  fixed('jsonPath', jsonPath);
  fixed('Window', base64);
  fixed('btoa', base64.btoa);
  fixed('atob', base64.atob);
  current('request', function () {
    if (request === undefined) request = httpYac ? makeHttpYacRequest(inputPart('request')) : makeRequest(inputPart('request'));
    return request;
  });
  current('response', currentResponse);
${httpYacApi}

  fixed('${scriptEntry}', function (script, headJson) {
    input = JSON.parse(headJson);
    parts = Object.create(null);
    globals = undefined;
    globalsChanged = false;
    variables = Object.create(null);
    tests = [];
    log = [];
    logged = 0;
    httpYac = input.flavor === 'httpYac';
    request = undefined;
    response = undefined;
    if (httpYac) beginHttpYac();
    var returned = script();
    if (returned === undefined || typeof returned.then !== 'function') return output();
    awaited = { done: false };
    returned.then(function () { awaited.done = true; }, function (error) { awaited.done = true; awaited.error = error; });
    return '${scriptPending}';
  });
  var awaited;
  var output = function () {
    if (httpYac) endHttpYac();
    var out = {};
    if (globalsChanged) out.globals = globals;
    if (Object.keys(variables).length > 0) out.variables = variables;
    if (tests.length > 0) out.tests = tests;
    if (log.length > 0) out.log = log;
    return JSON.stringify(out);
  };
  fixed('${scriptFinish}', function () {
    var finished = awaited;
    awaited = undefined;
    if (!finished.done) throw new Error('the script waits for something that never comes (the sandbox has no timers and no network)');
    if (finished.error !== undefined && finished.error !== __exitSignal) throw finished.error;
    return output();
  });
})();
`;
