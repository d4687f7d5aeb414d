// The small Python helpers an exported script may need, each written only when the script uses it.
// They are Python source: keep them runnable on Python 3.8+ with `requests` alone.

export type PythonHelper = 'session' | 'cookie_value' | 'form_field' | 'as_text' | 'dotenv' | 'report';

/** Helpers another helper calls. */
const needs: Partial<Record<PythonHelper, readonly PythonHelper[]>> = { session: ['cookie_value'] };

/** The helpers to write for `used`, dependencies included, in a stable order. */
export function withDependencies(used: Iterable<PythonHelper>): PythonHelper[] {
  const all = new Set<PythonHelper>();
  const add = (helper: PythonHelper) => {
    if (all.has(helper)) return;
    all.add(helper);
    for (const dependency of needs[helper] ?? []) add(dependency);
  };
  for (const helper of used) add(helper);
  const order: PythonHelper[] = ['cookie_value', 'session', 'form_field', 'as_text', 'dotenv', 'report'];
  return order.filter((helper) => all.has(helper));
}

/** The CSRF names the session class uses (Spring's CookieCsrfTokenRepository defaults unless configured). */
export interface PythonCsrfNames {
  readonly cookieName: string;
  readonly headerName: string;
  readonly fieldName: string;
}

export function helperSource(helper: PythonHelper, csrf: PythonCsrfNames): string {
  switch (helper) {
    case 'cookie_value':
      return `def cookie_value(jar, name, url):
    """The cookie \`name\` the jar sends to \`url\`: domain and path matched, the longest path first.
    (jar[name] raises CookieConflictError when two paths hold the name, e.g. two JSESSIONIDs.)"""
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path or "/"
    best = None
    for cookie in jar:
        domain = cookie.domain.lstrip(".")
        if cookie.name != name or not (host == domain or (cookie.domain_specified and host.endswith("." + domain))):
            continue
        if not (path == cookie.path or path.startswith(cookie.path.rstrip("/") + "/")):
            continue
        if best is None or len(cookie.path) > len(best.path):
            best = cookie
    return best.value if best else None`;
    case 'session':
      return `class HttpSession(requests.Session):
    """A requests.Session that sends the CSRF token the way HTTP Session does: on unsafe methods, the
    ${csrf.cookieName} cookie as ${csrf.headerName}, unless the request sends its own header or a form with
    ${csrf.fieldName}. Pass csrf=False to a request to leave it out. Spring Security 6+ masks the token it
    renders in pages (a new value per render) and, with its default handler, refuses the raw cookie value
    in the header: such apps need the form's masked ${csrf.fieldName} or the SPA handler (csrf.spa())."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def request(self, method, url, csrf=True, **kwargs):
        self._csrf = csrf
        return super().request(method, url, **kwargs)

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        if not getattr(self, "_csrf", True) or prepared.method in self.SAFE_METHODS or ${pyString(csrf.headerName)} in prepared.headers:
            return prepared
        body = prepared.body.decode("latin-1") if isinstance(prepared.body, bytes) else prepared.body or ""
        if "form-urlencoded" in prepared.headers.get("Content-Type", "") and ${pyString(csrf.fieldName)} in parse_qs(body):
            return prepared
        token = cookie_value(self.cookies, ${pyString(csrf.cookieName)}, prepared.url)
        if token:
            prepared.headers[${pyString(csrf.headerName)}] = token
        return prepared`;
    case 'form_field':
      return `def form_field(page, name):
    """The value of the form field \`name\` in an HTML page (<input name=…> or <meta name=…>), as
    {{request.response.csrf}} reads it."""

    class Finder(HTMLParser):
        value = None

        def handle_starttag(self, tag, attrs):
            fields = dict(attrs)
            if self.value is None and tag in ("input", "meta") and fields.get("name") == name:
                self.value = fields.get("value", fields.get("content"))

    finder = Finder()
    finder.feed(page)
    if finder.value is None:
        raise LookupError("no form field " + repr(name) + " in the page")
    return finder.value`;
    case 'as_text':
      return `def as_text(value):
    """A JSON value as HTTP Session substitutes it: strings as they are, the rest as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))`;
    case 'dotenv':
      return `def dotenv(name):
    """A value from the .env file next to this script (KEY=value lines, # comments)."""
    for line in (HERE / ".env").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#") and key.strip() == name:
            return value.strip().strip("\\"'")
    raise KeyError(name + " is not in " + str(HERE / ".env"))`;
    case 'report':
      return `def report(response):
    """One line per request: status, method and URL."""
    print(response.status_code, response.request.method, response.url)
    return response`;
  }
}

/** The imports a helper needs. */
export function helperImports(helper: PythonHelper): string[] {
  switch (helper) {
    case 'cookie_value':
      return ['from urllib.parse import urlsplit'];
    case 'session':
      return ['from urllib.parse import parse_qs'];
    case 'form_field':
      return ['from html.parser import HTMLParser'];
    case 'as_text':
      return ['import json'];
    case 'dotenv':
      return ['from pathlib import Path'];
    case 'report':
      return [];
  }
}

/** A Python string literal for `text` (double quotes, escapes for every control character). */
export function pyString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + '"';
}
