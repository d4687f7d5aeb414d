/** What a written request URL becomes once variables are substituted: an absolute http(s) URL, or why not. */
export type NormalizedUrl = { url: string } | { error: string };

const schemePrefix = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Turns a request-line URL (variables already substituted) into the absolute URL to send: `http://` is
 * assumed when the scheme is missing, an origin-form `/path` takes its origin from the Host header, the
 * fragment is dropped, and (with `autoEncode`) spaces and non-ASCII in path and query are percent-encoded.
 */
export function normalizeRequestUrl(
  rawUrl: string,
  hostHeader: string | undefined,
  options: { autoEncode: boolean },
): NormalizedUrl {
  const hash = rawUrl.indexOf('#');
  const written = (hash < 0 ? rawUrl : rawUrl.slice(0, hash)).trim();
  if (!written) return { error: 'The request has no URL' };

  let absolute: string;
  if (written.startsWith('//')) {
    absolute = `http:${written}`;
  } else if (written.startsWith('/')) {
    const host = hostHeader?.trim();
    if (!host) return { error: `${written} is a path only; write the full URL or add a Host header` };
    let hostEnd = host.length;
    while (host.charCodeAt(hostEnd - 1) === 47 /* / */) hostEnd--;
    absolute = `${schemePrefix.test(host) ? '' : 'http://'}${host.slice(0, hostEnd)}${written}`;
  } else {
    absolute = schemePrefix.test(written) ? written : `http://${written}`;
  }

  // The WHATWG URL parser validates the scheme and authority (and turns an IDN host into punycode), but
  // path and query are kept by hand: it would resolve `..` segments and always encode, where a request
  // must go out as written and `@no-auto-encoding` must leave it untouched.
  const scheme = schemePrefix.exec(absolute);
  const authorityStart = scheme ? scheme[0].length : 0;
  const authorityEnd = firstIndexOf(absolute, authorityStart, '/', '?');
  let origin: URL;
  try {
    origin = new URL(`${absolute.slice(0, authorityEnd)}/`);
  } catch {
    return { error: `${written} is not a valid URL` };
  }
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:') {
    return { error: `${origin.protocol.slice(0, -1)} URLs are not supported; use http or https` };
  }
  if (!origin.hostname) return { error: `${written} has no host` };

  const rest = absolute.slice(authorityEnd);
  const target = rest.startsWith('/') ? rest : `/${rest}`;
  return { url: origin.href.slice(0, -1) + (options.autoEncode ? encodeRequestTarget(target) : target) };
}

function firstIndexOf(text: string, from: number, ...chars: string[]): number {
  let found = text.length;
  for (const char of chars) {
    const index = text.indexOf(char, from);
    if (index >= 0 && index < found) found = index;
  }
  return found;
}

/**
 * Percent-encodes controls, space, non-ASCII and `"<>\`{}` in a path and query, as UTF-8. Existing `%XX`
 * escapes stay as they are; a `%` that starts none is encoded (servers such as Tomcat reject it with a 400).
 */
function encodeRequestTarget(target: string): string {
  let encoded = '';
  let copiedUpTo = 0;
  for (let index = 0; index < target.length; index++) {
    const code = target.charCodeAt(index);
    if (code === 37 /* % */ ? isEscape(target, index) : !needsEncoding(code)) continue;
    encoded += target.slice(copiedUpTo, index);
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(target.charCodeAt(index + 1))) {
      encoded += encodeURIComponent(target.slice(index, index + 2));
      index++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += '%EF%BF%BD'; // a lone surrogate cannot be UTF-8; WHATWG URL writes U+FFFD too
    } else {
      encoded += code === 37 ? '%25' : encodeURIComponent(target[index]);
    }
    copiedUpTo = index + 1;
  }
  return copiedUpTo === 0 ? target : encoded + target.slice(copiedUpTo);
}

function needsEncoding(code: number): boolean {
  return code <= 0x20 || code >= 0x7f || code === 0x22 || code === 0x3c || code === 0x3e || code === 0x60 || code === 0x7b || code === 0x7d;
}

function isEscape(text: string, index: number): boolean {
  return isHex(text.charCodeAt(index + 1)) && isHex(text.charCodeAt(index + 2));
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
