// Request files built to expose quadratic scans in the parser: the fuzz test parses them (no throw, ranges
// inside), the parse bench times them (linear: ms per kB like an ordinary file's).
/** Inputs built to expose quadratic scans: long runs of the characters the parser looks for. */
export const pathologicalHttp: readonly string[] = [
  `GET /a?x=${'{{'.repeat(50_000)}`,
  `GET /a?x=${'{{a'.repeat(30_000)}`,
  `GET /a\n\n> {%\n${'x\n'.repeat(50_000)}`,
  `GET /a\n${'X-A: {{b\n'.repeat(20_000)}`,
  `POST /a\n\n${'"{{a}}",\n'.repeat(20_000)}`,
  `${'#'.repeat(100_000)}\nGET /a`,
  `${'# @timeout '.repeat(10_000)}\nGET /a`,
  `GET /a\n\n${'< ./f\n'.repeat(30_000)}`,
  `GET /a\n${'no colon here\n'.repeat(30_000)}`,
  `GET ${' '.repeat(100_000)}x HTTP/1.1`,
  `@${'a'.repeat(100_000)}`,
  'GET /a\n' + 'X: y\n  continued\n'.repeat(20_000),
  '###\n'.repeat(50_000),
  '\r'.repeat(100_000),
];
