import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateDynamic, parseDynamicExpression, type DynamicCall } from '../../../src/core/vars/dynamicVariables';

// A fixed zone without daylight saving makes $localDatetime deterministic (+05:30).
process.env.TZ = 'Asia/Kolkata';

const now = Date.UTC(2024, 2, 10, 12, 34, 56, 789); // Sunday 2024-03-10T12:34:56.789Z
const clock = { now: () => now };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function evaluate(expression: string): string {
  const parsed = parseDynamicExpression(expression);
  if ('error' in parsed) throw new Error(parsed.error);
  const call = parsed.call as Parameters<typeof evaluateDynamic>[0];
  return evaluateDynamic(call, clock);
}

const exact: readonly (readonly [expression: string, expected: string])[] = [
  ['$timestamp', '1710074096'],
  ['$timestamp -1 d', String(1710074096 - 86_400)],
  ['$timestamp 2 h', String(1710074096 + 7200)],
  ['$timestamp +30 m', String(1710074096 + 1800)],
  ['$timestamp 1 w', String(1710074096 + 604_800)],
  ['$timestamp -1500 ms', '1710074095'],
  ['$timestamp 1 y', String(Date.UTC(2025, 2, 10, 12, 34, 56) / 1000)],
  ['$timestamp -2 M', String(Date.UTC(2024, 0, 10, 12, 34, 56) / 1000)],
  ['$isoTimestamp', '2024-03-10T12:34:56.789Z'],
  ['$datetime iso8601', '2024-03-10T12:34:56.789Z'],
  ['$datetime rfc1123', 'Sun, 10 Mar 2024 12:34:56 GMT'],
  ['$datetime iso8601 1 d', '2024-03-11T12:34:56.789Z'],
  ['$datetime "DD-MM-YYYY HH:mm:ss.SSS"', '10-03-2024 12:34:56.789'],
  ["$datetime 'YYYY/M/D h:m:s A'", '2024/3/10 12:34:56 PM'],
  ['$datetime "dddd, MMMM D [at] HH[h]" -1 M', 'Saturday, February 10 at 12h'],
  ['$datetime "X x Z"', '1710074096 1710074096789 +00:00'],
  ['$localDatetime iso8601', '2024-03-10T18:04:56+05:30'],
  ['$localDatetime rfc1123', 'Sun, 10 Mar 2024 18:04:56 +0530'],
  ['$localDatetime "YYYY-MM-DD HH:mm ZZ" -1 h', '2024-03-10 17:04 +0530'],
];

for (const [expression, expected] of exact) {
  test(`{{${expression}}} with a fixed clock`, () => {
    assert.equal(evaluate(expression), expected);
  });
}

const shapes: readonly (readonly [expression: string, shape: RegExp])[] = [
  ['$random.alphabetic(8)', /^[A-Za-z]{8}$/],
  ['$random.alphanumeric( 12 )', /^\w{12}$/],
  ['$random.hexadecimal(6)', /^[0-9a-f]{6}$/],
  ['$random.numeric(4)', /^\d{4}$/],
  ['$random.email', /^[a-z]{10}@[a-z]{7}\.com$/],
  ['$random.float(1.5, 2)', /^(1\.[5-9]\d*|1\.5)$/],
  ['$random.integer', /^\d{1,4}$/],
];

for (const [expression, shape] of shapes) {
  test(`JetBrains {{${expression}}} has its shape`, () => {
    for (let i = 0; i < 20; i++) assert.match(evaluate(expression), shape);
  });
}

for (const [expression, problem] of [
  ['$random.alphabetic', /needs a length/],
  ['$random.numeric(99999999)', /needs a length from 0 to 4096/],
  ['$random.email(3)', /takes no arguments/],
  ['$random.float(2, 1)', /max above min/],
] as const) {
  test(`JetBrains {{${expression}}} is refused: ${problem.source}`, () => {
    const parsed = parseDynamicExpression(expression);
    assert.ok('error' in parsed && !parsed.unknownFunction);
    assert.match(parsed.error, problem);
  });
}

for (const expression of ['$uuid', '$guid', '$random.uuid']) {
  test(`{{${expression}}} is a fresh v4 UUID`, () => {
    const first = evaluate(expression);
    assert.match(first, uuid);
    assert.notEqual(evaluate(expression), first);
  });
}

const ranges: readonly (readonly [expression: string, min: number, maxExclusive: number])[] = [
  ['$randomInt 5 8', 5, 8],
  ['$randomInt -3 0', -3, 0],
  ['$random.integer(10, 13)', 10, 13],
  ['$random.integer( -2 , 1 )', -2, 1],
  ['$randomInt', 0, 1001],
];

for (const [expression, min, maxExclusive] of ranges) {
  test(`{{${expression}}} stays in [${min}, ${maxExclusive})`, () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const value = Number(evaluate(expression));
      assert.ok(Number.isInteger(value) && value >= min && value < maxExclusive, `${value} out of range`);
      seen.add(value);
    }
    assert.ok(seen.size > 1, 'never varies');
  });
}

const errors: readonly (readonly [expression: string, unknownFunction: boolean, message: RegExp])[] = [
  ['$nope', true, /Unknown dynamic variable '\$nope'/],
  ['$randomInt 9 3', false, /max \(3\) must be greater than min \(9\)/],
  ['$randomInt a b', false, /integer bounds/],
  ['$randomInt 1', false, /\$randomInt min max/],
  ['$timestamp 1 parsec', false, /offset must be/],
  ['$timestamp -1', false, /offset must be/],
  ['$datetime', false, /needs a format/],
  ['$uuid 3', false, /takes no arguments/],
  ['$processEnv', false, /needs one name/],
  ['$dotenv A B', false, /needs one name/],
  ['$cookie', false, /needs one name/],
];

for (const [expression, unknownFunction, message] of errors) {
  test(`{{${expression}}} is reported, not evaluated`, () => {
    const parsed = parseDynamicExpression(expression);
    assert.ok('error' in parsed);
    assert.equal(parsed.unknownFunction, unknownFunction);
    assert.match(parsed.error, message);
  });
}

const systemCalls: readonly (readonly [expression: string, call: DynamicCall])[] = [
  ['$processEnv HOME', { fn: 'processEnv', name: 'HOME', indirect: false }],
  ['$processEnv %tokenVar', { fn: 'processEnv', name: 'tokenVar', indirect: true }],
  ['$dotenv API_KEY', { fn: 'dotenv', name: 'API_KEY', indirect: false }],
  ['$cookie XSRF-TOKEN', { fn: 'cookie', name: 'XSRF-TOKEN' }],
  ['$shared host', { fn: 'shared', name: 'host' }],
];

for (const [expression, call] of systemCalls) {
  test(`{{${expression}}} parses to a system call`, () => {
    assert.deepEqual(parseDynamicExpression(expression), { call });
  });
}
