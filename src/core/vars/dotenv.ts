// Hand-written rather than a dependency: the `.env` format is a few lines of rules, the `dotenv`
// package reads files itself (our core gets files only through FileReader) and is not installed.

const line =
  /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=[ \t]*("(?:\\.|[^"\\])*"|'[^']*'|`[^`]*`|[^\r\n]*)/gm;

const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

/** Parses `.env` text: `KEY=value`, `export KEY=value`, `#` comments, quoted and multi-line quoted values. */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of text.matchAll(line)) {
    const [, key, raw] = match as unknown as [string, string, string];
    values.set(key, unquote(raw));
  }
  return values;
}

function unquote(raw: string): string {
  const quote = raw[0];
  if (quote === '"' && raw.endsWith('"') && raw.length > 1) {
    return raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
  }
  if ((quote === "'" || quote === '`') && raw.endsWith(quote) && raw.length > 1) return raw.slice(1, -1);
  // Unquoted: a ` #` starts a comment; a `#` inside a word (a URL fragment) does not.
  return raw.replace(/(^|[ \t])#.*$/, '').trim();
}
