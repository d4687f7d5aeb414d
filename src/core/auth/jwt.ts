// A JWT's header and claims, read without checking its signature: for showing, never for trusting.

/** The decoded parts of a JWS compact token, or why it is not one. */
export type DecodedJwt = { readonly header: unknown; readonly claims: unknown } | { readonly error: string };

/** Decodes the header and claims (RFC 7519) of `token`; the signature is neither checked nor returned. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: `not a JWT: ${parts.length} dot-separated parts, a signed JWT has 3 (an opaque token cannot be decoded)` };
  const decoded: unknown[] = [];
  for (const [index, part] of parts.slice(0, 2).entries()) {
    const which = index === 0 ? 'header is' : 'claims are';
    if (!/^[A-Za-z0-9_-]*$/.test(part)) return { error: `not a JWT: the ${which} not base64url` };
    try {
      decoded.push(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    } catch {
      return { error: `not a JWT: the ${which} not JSON` };
    }
  }
  return { header: decoded[0], claims: decoded[1] };
}
