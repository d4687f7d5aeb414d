const attributePattern = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** Pages are scanned up to here: a form's token sits near the top, and a huge body must not stall the doctor. */
const maxScannedChars = 512 * 1024;

/** The end (index of `>`) of a tag whose attributes start at `from`, quotes respected; -1 when it never closes. */
function tagEnd(html: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < html.length; index++) {
    const char = html[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }
  return -1;
}

/**
 * The value of the form field `name` in an HTML page, without a DOM: an `<input name=… value=…>`
 * (attributes in any order and quoting), else a `<meta name=… content=…>` (Spring's Thymeleaf pattern).
 * One pass over at most maxScannedChars: each tag is read once, and a tag that never closes ends the scan
 * (nothing after it could close either), so a page of unclosed tags costs linear time, not quadratic.
 */
export function extractFormFieldValue(page: string, name: string): string | undefined {
  const html = page.length > maxScannedChars ? page.slice(0, maxScannedChars) : page;
  let fromMeta: string | undefined;
  let position = 0;
  while ((position = html.indexOf('<', position)) >= 0) {
    const tag = /^<(input|meta)\b/i.exec(html.slice(position, position + 7))?.[1]?.toLowerCase();
    if (tag === undefined) {
      position++;
      continue;
    }
    const attributesStart = position + 1 + tag.length;
    const end = tagEnd(html, attributesStart);
    if (end < 0) break;
    const attributes = parseAttributes(html.slice(attributesStart, end));
    position = end + 1;
    if (attributes.get('name') !== name) continue;
    if (tag === 'input') return attributes.get('value') ?? '';
    fromMeta ??= attributes.get('content');
  }
  return fromMeta;
}

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name = '', double, single, bare] of text.matchAll(attributePattern)) {
    const key = name.toLowerCase();
    if (!attributes.has(key)) attributes.set(key, decodeEntities(double ?? single ?? bare ?? ''));
  }
  return attributes;
}

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    const lower = body.toLowerCase();
    if (!lower.startsWith('#')) return namedEntities[lower] ?? entity;
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
