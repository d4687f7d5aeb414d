// httpYac's `?? <field> [<argument>] <condition> [<expected>]` assertions (`?? status == 200`,
// `?? header content-type includes json`, `?? body $.id exists`, `?? js response.parsedBody.n > 2`,
// `?? duration < 500`), turned into a script for the sandbox: the field is read there, where `js` and
// `body <path>` expressions can run without reaching the host.

/** Condition names as written → the name `__httpYacAssert` checks. */
const conditions: Readonly<Record<string, string>> = {
  '==': '==', '===': '==', equals: '==',
  '!=': '!=', '!==': '!=', 'not equals': '!=',
  '>': '>', '>=': '>=', '<': '<', '<=': '<=',
  startswith: 'startsWith', endswith: 'endsWith', includes: 'includes', contains: 'includes',
  exists: 'exists', istrue: 'exists', isfalse: 'isFalse',
  isnumber: 'isNumber', isboolean: 'isBoolean', isstring: 'isString', isarray: 'isArray',
  matches: 'matches', md5: 'md5', sha256: 'sha256', sha512: 'sha512',
};

const conditionPattern = Object.keys(conditions)
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(' ', '\\s+'))
  .join('|');
/** As httpYac reads it: the argument runs to the LAST condition word on the line. */
const assertionLine = new RegExp(`^(\\S+)(?:\\s+(.*))?\\s+(${conditionPattern})(?:\\s+(.*?))?\\s*$`, 'i');

/** The script that checks the assertion (httpYac flavour), or why the line is not one. */
export function httpYacAssertionScript(assertion: string): { readonly code: string } | { readonly error: string } {
  const match = assertionLine.exec(assertion.trim());
  if (!match) return { error: `?? ${assertion}: not an assertion; write ?? status == 200 or ?? header content-type includes json` };
  const [, field, argument = '', written, expected = ''] = match;
  const condition = conditions[written!.toLowerCase().replace(/\s+/, ' ')]!;
  const read = fieldReader(field!.toLowerCase(), argument.trim());
  if (read === undefined) return { error: `?? ${assertion}: '${field}' is not a field to assert (status, header, body, duration, js)` };
  const label = `${argument.trim() || field} ${written} ${expected}`.trim();
  return { code: `__httpYacAssert(${JSON.stringify(label)}, ${JSON.stringify(condition)}, function () { return ${read}; }, ${JSON.stringify(expected)});` };
}

/** The expression that reads the field from httpYac's `response`; `js` and `body <path>` are the user's own code. */
function fieldReader(field: string, argument: string): string | undefined {
  switch (field) {
    case 'status':
      return 'response.statusCode';
    case 'duration':
      return 'response.timings.total';
    case 'header':
      return argument ? `response.headers[${JSON.stringify(argument.toLowerCase())}]` : undefined;
    case 'body':
      if (!argument) return 'response.body';
      // `$.a.b` (JSONPath-like, common in real files) and `a.b` read the same parsed body.
      return `(response.parsedBody || response.body)${/^[[.]/.test(argument.replace(/^\$/, '')) ? argument.replace(/^\$/, '') : `.${argument}`}`;
    case 'js':
      return argument ? `(${argument})` : undefined;
    default:
      return undefined;
  }
}
