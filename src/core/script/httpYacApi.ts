// httpYac's script API, as a fragment of the sandbox prelude (jetbrainsPrelude.ts): it runs inside the
// prelude's closure and uses its state (input, inputPart, kept, changeGlobals, tests, client, currentResponse, text, host, fixed, current).
// `{{ }}` blocks see `currentResponse().statusCode/body/parsedBody/headers`, `request`, and in their scope `test`,
// `exports`, `$global`, `console` and the variables by name; their `require` gives only an `assert` module
// (no Node modules in the sandbox). `??` assertions become calls of `__httpYacAssert` (httpYacAssertion.ts writes them).

export const httpYacApi = String.raw`
  var exportsObject, globalObject, globalBefore, scope;
  var reservedNames = ['response', 'request', 'test', 'exports', '$global', 'console', 'client', 'require', 'sleep'];

  var makeHttpYacResponse = function (given) {
    var headers = {};
    given.headers.forEach(function (h) {
      var name = h[0].toLowerCase();
      headers[name] = has(headers, name) ? [].concat(headers[name], h[1]) : h[1];
    });
    var parsedBody;
    var body = inputPart('responseBody');
    try { parsedBody = JSON.parse(body); } catch (e) { parsedBody = undefined; }
    return {
      statusCode: given.status,
      headers: headers,
      body: body,
      parsedBody: parsedBody,
      contentType: { mimeType: given.mimeType, charset: given.charset },
      timings: { total: given.totalMs },
    };
  };
  var makeHttpYacRequest = function (given) {
    var headers = {};
    given.headers.forEach(function (h) { headers[h.name] = h.substituted; });
    return { method: given.method, url: given.url.substituted, headers: headers, body: given.body.substituted };
  };

  var beginHttpYac = function () {
    exportsObject = {};
    globalObject = Object.assign({}, kept());
    globalBefore = Object.assign({}, kept());
    scope = Object.create(null);
    var given = input.scope || {};
    Object.keys(given).forEach(function (name) { if (reservedNames.indexOf(name) < 0) scope[name] = given[name]; });
    // httpYac's names live in the script's scope, not on the global object: JetBrains scripts never see them.
    scope.test = test;
    scope.console = httpYacConsole;
    scope.require = requireAssert;
    scope.exports = exportsObject;
    scope.$global = globalObject;
    // httpYac's sleep(ms): there are no timers here, so it resolves at once (the await still works).
    scope.sleep = resolveAtOnce;
  };
  var resolveAtOnce = function () { return Promise.resolve(); };
  // What a script exported or put in $global is kept like client.global: later requests resolve it.
  var endHttpYac = function () {
    Object.keys(globalObject).forEach(function (name) {
      if (globalObject[name] !== globalBefore[name]) changeGlobals()[name] = text(globalObject[name]);
    });
    Object.keys(exportsObject).forEach(function (name) { changeGlobals()[name] = text(exportsObject[name]); });
  };

  var equalJson = function (a, b) { return a === b || JSON.stringify(a) === JSON.stringify(b); };
  var assertModule = function (value, message) { client.assert(value, message); };
  assertModule.ok = assertModule;
  assertModule.equal = function (a, b, message) { client.assert(a == b, message === undefined ? text(a) + ' == ' + text(b) : message); };
  assertModule.notEqual = function (a, b, message) { client.assert(a != b, message === undefined ? text(a) + ' != ' + text(b) : message); };
  assertModule.strictEqual = function (a, b, message) { client.assert(a === b, message === undefined ? text(a) + ' === ' + text(b) : message); };
  assertModule.notStrictEqual = function (a, b, message) { client.assert(a !== b, message === undefined ? text(a) + ' !== ' + text(b) : message); };
  assertModule.deepEqual = assertModule.deepStrictEqual = function (a, b, message) { client.assert(equalJson(a, b), message === undefined ? text(a) + ' deep-equals ' + text(b) : message); };

  var test = function (name, body) { client.test(name, body); };
  var expectTest = function (name, passed, message) { tests.push(passed ? { name: name, passed: true } : { name: name, passed: false, message: message }); };
  test.status = function (code) { expectTest('response status is ' + code, currentResponse().statusCode === code, 'response status is ' + currentResponse().statusCode + ' (expected: ' + code + ')'); };
  test.totalTime = function (ms) { expectTest('total time is less than ' + ms + ' ms', currentResponse().timings.total < ms, 'total time is ' + currentResponse().timings.total + ' ms (expected max ' + ms + ')'); };
  test.header = function (name, value) { var actual = currentResponse().headers[String(name).toLowerCase()]; expectTest('response header ' + name + ' is ' + value, actual === value, 'response header ' + name + ' is ' + text(actual) + ' (expected: ' + value + ')'); };
  test.headerContains = function (name, value) { var actual = currentResponse().headers[String(name).toLowerCase()]; expectTest('response header ' + name + ' contains ' + value, actual !== undefined && String(actual).indexOf(value) >= 0, 'response header ' + name + ' is ' + text(actual)); };
  test.responseBody = function (value) { expectTest('response body equals', equalJson(currentResponse().parsedBody === undefined ? currentResponse().body : currentResponse().parsedBody, value) || currentResponse().body === value, 'response body differs'); };
  test.hasResponseBody = function () { expectTest('response body exists', !!currentResponse().body, 'response body is empty'); };
  test.hasNoResponseBody = function () { expectTest('response body does not exist', !currentResponse().body, 'response body is not empty'); };

  Object.freeze(assertModule);
  Object.freeze(test);
  var consoleLog = function () { client.log.apply(null, arguments); };
  var httpYacConsole = Object.freeze({ log: consoleLog, info: consoleLog, warn: consoleLog, error: consoleLog, debug: consoleLog, trace: consoleLog });
  var requireAssert = function (name) {
    if (name === 'assert' || name === 'node:assert') return assertModule;
    throw new Error("require('" + name + "') is not available: scripts run in a sandbox without modules (only 'assert' is there)");
  };
  current('__httpYacScope', function () { return scope; });

  // ?? assertions: conditions as httpYac names them; the expected text becomes the actual value's type first.
  var number = function (value) { var n = typeof value === 'number' ? value : parseFloat(String(value)); return isNaN(n) ? undefined : n; };
  var compare = function (check) { return function (a, b) { var x = number(a), y = number(b); return x !== undefined && y !== undefined && check(x, y); }; };
  var textOf = function (value) { return value === undefined || value === null ? '' : typeof value === 'string' ? value : text(value); };
  var digest = function (algorithm) {
    return function (a, b) { return host('digest', JSON.stringify({ request: JSON.stringify({ algorithm: algorithm, parts: [{ kind: 'text', value: textOf(a) }] }), output: 'hex' })) === b; };
  };
  var conditions = {
    '==': function (a, b) { return typeof a === 'object' ? equalJson(a, b) : a === b; },
    '!=': function (a, b) { return typeof a === 'object' ? !equalJson(a, b) : a !== b; },
    '>': compare(function (x, y) { return x > y; }),
    '>=': compare(function (x, y) { return x >= y; }),
    '<': compare(function (x, y) { return x < y; }),
    '<=': compare(function (x, y) { return x <= y; }),
    startsWith: function (a, b) { return textOf(a).indexOf(textOf(b)) === 0; },
    endsWith: function (a, b) { var x = textOf(a), y = textOf(b); return x.length >= y.length && x.slice(x.length - y.length) === y; },
    includes: function (a, b) { return Array.isArray(a) ? a.indexOf(b) >= 0 || a.map(textOf).indexOf(textOf(b)) >= 0 : textOf(a).indexOf(textOf(b)) >= 0; },
    exists: function (a) { return !!a; },
    isFalse: function (a) { return !a; },
    isNumber: function (a) { return typeof a === 'number'; },
    isBoolean: function (a) { return typeof a === 'boolean'; },
    isString: function (a) { return typeof a === 'string'; },
    isArray: function (a) { return Array.isArray(a); },
    matches: function (a, b) { return new RegExp(b).test(textOf(a)); },
    md5: digest('md5'),
    sha256: digest('sha256'),
    sha512: digest('sha512'),
  };
  var asTypeOf = function (actual, expected) {
    if (typeof actual === 'number') return number(expected);
    if (typeof actual === 'boolean') return /^true$/i.test(expected.trim()) ? true : /^false$/i.test(expected.trim()) ? false : expected;
    if (actual === null && expected === 'null') return null;
    if (typeof actual === 'object' && actual !== null) { try { return JSON.parse(expected); } catch (e) { return expected; } }
    return expected;
  };
  fixed('__httpYacAssert', function (label, condition, read, expected) {
    var actual;
    try { actual = read(); } catch (error) { expectTest(label, false, error && error.message !== undefined ? String(error.message) : text(error)); return; }
    var converted = condition === 'matches' || condition.slice(0, 3) === 'md5' || condition.slice(0, 3) === 'sha' ? expected : asTypeOf(actual, expected);
    var passed = conditions[condition](actual, converted);
    expectTest(label, passed, 'got ' + textOf(actual) + (expected ? ', expected ' + condition + ' ' + expected : ''));
  });
`;
