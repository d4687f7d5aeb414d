const tagPattern = /<(input|meta)\b((?:"[^"]*"|'[^']*'|[^'">])*)>/gi;
const attributePattern = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * The value of the form field `name` in an HTML page, without a DOM: an `<input name=… value=…>`
 * (attributes in any order and quoting), else a `<meta name=… content=…>` (Spring's Thymeleaf pattern).
 */
export function extractFormFieldValue(html: string, name: string): string | undefined {
  let fromMeta: string | undefined;
  for (const [, tag = '', attributeText = ''] of html.matchAll(tagPattern)) {
    const attributes = parseAttributes(attributeText);
    if (attributes.get('name') !== name) continue;
    if (tag.toLowerCase() === 'input') return attributes.get('value') ?? '';
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
