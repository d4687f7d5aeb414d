// What Spring Security puts on the wire when it ends a session for a reason of its own: read by the
// session cookie tracker and by the doctor, so both name the same cause.

/** Spring Security's remember-me cookie (`rememberMe().rememberMeCookieName(…)` changes it; rare). */
export const rememberMeCookieNames: readonly string[] = ['remember-me'];

/**
 * The body of Spring Security's default expired-session answer (ConcurrentSessionFilter with
 * `maximumSessions`): a newer login of the same user expired this session. Spring sends it with 200.
 */
const concurrentExpiryText = 'This session has been expired (possibly due to multiple concurrent logins';

/** Whether a response body is Spring's "expired by a newer login" answer. */
export function isConcurrentLoginExpiry(body: Uint8Array): boolean {
  // The text is short and comes first; a large body is something else.
  return body.length < 1024 && new TextDecoder().decode(body).startsWith(concurrentExpiryText);
}
