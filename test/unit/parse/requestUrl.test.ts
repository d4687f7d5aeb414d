import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeRequestUrl, type NormalizedUrl } from '../../../src/core/parse/requestUrl';

const cases: readonly { name: string; url: string; host?: string; autoEncode?: boolean; expected: NormalizedUrl }[] = [
  { name: 'an absolute URL is kept', url: 'https://example.com/a/b?x=1', expected: { url: 'https://example.com/a/b?x=1' } },
  { name: 'host:port without a scheme gets http', url: 'localhost:8080/x', expected: { url: 'http://localhost:8080/x' } },
  { name: 'a host without a scheme gets http', url: 'example.com/x', expected: { url: 'http://example.com/x' } },
  { name: 'a bare host gets a / path', url: 'example.com', expected: { url: 'http://example.com/' } },
  { name: 'a query right after the host gets a / path', url: 'http://example.com?x=1', expected: { url: 'http://example.com/?x=1' } },
  { name: 'protocol-relative gets http', url: '//example.com/x', expected: { url: 'http://example.com/x' } },
  { name: 'scheme and host are lowercased, the default port dropped', url: 'HTTPS://Example.COM:443/A', expected: { url: 'https://example.com/A' } },
  { name: 'an IDN host becomes punycode', url: 'http://bücher.example/x', expected: { url: 'http://xn--bcher-kva.example/x' } },
  { name: 'user info is kept', url: 'http://user:pw@example.com/x', expected: { url: 'http://user:pw@example.com/x' } },
  { name: 'surrounding whitespace is trimmed', url: '  http://example.com/x  ', expected: { url: 'http://example.com/x' } },
  { name: 'the fragment is not sent', url: 'http://example.com/x?y=1#section', expected: { url: 'http://example.com/x?y=1' } },
  { name: 'dot segments are sent as written', url: 'http://example.com/a/../b/./c', expected: { url: 'http://example.com/a/../b/./c' } },
  // origin-form with the Host header
  { name: 'origin-form takes the Host header', url: '/api/users?page=2', host: 'example.com:8080', expected: { url: 'http://example.com:8080/api/users?page=2' } },
  { name: 'a Host header with a scheme and trailing slash', url: '/x', host: ' https://example.com/ ', expected: { url: 'https://example.com/x' } },
  { name: 'origin-form without a Host header is an error', url: '/api', expected: { error: '/api is a path only; write the full URL or add a Host header' } },
  { name: 'origin-form with an empty Host header is an error', url: '/api', host: '  ', expected: { error: '/api is a path only; write the full URL or add a Host header' } },
  // encoding
  { name: 'spaces and non-ASCII in path and query are encoded', url: 'http://h/a b/ä?q=ü x&r=€', expected: { url: 'http://h/a%20b/%C3%A4?q=%C3%BC%20x&r=%E2%82%AC' } },
  { name: 'existing escapes are not encoded again', url: 'http://h/a%20b?q=%C3%A4%2F', expected: { url: 'http://h/a%20b?q=%C3%A4%2F' } },
  { name: 'a % that starts no escape is encoded', url: 'http://h/?discount=50%&x=%zz', expected: { url: 'http://h/?discount=50%25&x=%25zz' } },
  { name: 'quotes, angle brackets, backticks and braces are encoded', url: 'http://h/?q="<a>"`{}`', expected: { url: 'http://h/?q=%22%3Ca%3E%22%60%7B%7D%60' } },
  { name: 'reserved characters stay', url: "http://h/a;b,c/d:e@f?g=h&i=j+k/l?m!$'()*[]", expected: { url: "http://h/a;b,c/d:e@f?g=h&i=j+k/l?m!$'()*[]" } },
  { name: 'emoji (a surrogate pair) is one UTF-8 sequence', url: 'http://h/😀', expected: { url: 'http://h/%F0%9F%98%80' } },
  { name: 'a lone surrogate becomes U+FFFD', url: 'http://h/\ud800', expected: { url: 'http://h/%EF%BF%BD' } },
  { name: 'control characters are encoded', url: 'http://h/a\tb', expected: { url: 'http://h/a%09b' } },
  { name: 'autoEncode false leaves path and query untouched', url: 'http://h/a b/ä?q=50%', autoEncode: false, expected: { url: 'http://h/a b/ä?q=50%' } },
  // errors
  { name: 'an empty URL', url: '   ', expected: { error: 'The request has no URL' } },
  { name: 'only a fragment', url: '#x', expected: { error: 'The request has no URL' } },
  { name: 'an unsupported scheme', url: 'ftp://example.com/x', expected: { error: 'ftp URLs are not supported; use http or https' } },
  { name: 'a port out of range', url: 'http://example.com:99999/x', expected: { error: 'http://example.com:99999/x is not a valid URL' } },
  { name: 'a space in the host', url: 'http://exa mple.com/x', expected: { error: 'http://exa mple.com/x is not a valid URL' } },
  { name: 'no host at all', url: 'http:///x', expected: { error: 'http:///x is not a valid URL' } },
];

for (const { name, url, host, autoEncode = true, expected } of cases) {
  test(name, () => assert.deepEqual(normalizeRequestUrl(url, host, { autoEncode }), expected));
}
