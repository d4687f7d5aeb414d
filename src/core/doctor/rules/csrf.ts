import { requestAsSent, type CookieRecord, type Exchange, type Finding } from '../../model/exchange';
import { csrfTokenOf, isUnsafeMethod, unmaskCsrfToken } from '../../send/csrf';
import { jarValueFor } from '../cookieScope';
import { headerValue } from '../../model/headers';
import { describeExchange, springErrorBody, withErrorBody } from '../evidence';
import { maskSecret } from '../../secrets';
import { isSuccessfulLogin, isUnsafe, lastFormToken, lastStoredBy, sentCsrfToken, timeline, type Facts, type Rule } from '../facts';
import { csrfHeaderFix } from '../fixes';
import { jarCookieLine } from './jarEvidence';

// Spring's CsrfFilter answers 403 to an unsafe request whose token is missing or does not match.

/** What the doctor knows about the CSRF token the server expects. */
export interface ExpectedToken {
  /** The jar's current token cookie for the URL (CookieCsrfTokenRepository). */
  readonly cookie?: CookieRecord;
  /** The token of the latest form page (HttpSessionCsrfTokenRepository: `<input name="_csrf">`). */
  readonly form?: { readonly exchange: Exchange; readonly value: string };
  /** A successful login after the form page: Spring replaced the session-stored token, so the form's is void. */
  readonly formVoidedBy?: Exchange;
  /** The token the server holds now, as far as the evidence shows: the cookie's, else a form's still valid. */
  readonly current?: string;
  /** The server's error message names CSRF. */
  readonly saidByServer: boolean;
}

/**
 * The token the server expects; undefined unless this is a 403 to an unsafe method from Spring Security's
 * filters (problem details come from the application, after the CSRF filter let the request through).
 */
export function expectedCsrfToken(facts: Facts): ExpectedToken | undefined {
  if (facts.trigger !== 'forbidden' || !isUnsafe(facts)) return undefined;
  const errorBody = springErrorBody(facts.response);
  if (errorBody?.format === 'problem') return undefined;
  const cookie = jarValueFor(facts.context.jar, facts.context.csrf.cookieName, facts.hop.url);
  const form = lastFormToken(facts);
  const formVoidedBy = form && !cookie ? loginSince(facts, form.exchange) : undefined;
  const current = cookie?.value ?? (formVoidedBy ? undefined : form?.value);
  return { cookie, form, formVoidedBy, current, saidByServer: /csrf/i.test(errorBody?.message ?? '') };
}

/** Where the expected token cookie came from; a 403 that set it asks for it back. */
function cookieOriginLine(facts: Facts, cookie: CookieRecord): string {
  return jarCookieLine(facts, cookie, `${cookie.name}=${maskSecret(cookie.value)}`, `: the server expects it back as ${facts.context.csrf.headerName}`);
}

/** The fix for a form-based token: the chained `{{name.response.csrf}}` of a page whose token is still valid. */
function formFieldFix(facts: Facts, expected: ExpectedToken): NonNullable<Finding['fix']> {
  const field = facts.context.csrf.fieldName;
  if (expected.formVoidedBy) {
    return { title: `GET a page with the form (or a CsrfToken endpoint) after the login, name it, and send its token: ${field}={{thatPage.response.csrf}}` };
  }
  const source = expected.form?.exchange.request.name;
  return { title: `Send the form's token in the body: ${field}=${source ? `{{${source}.response.csrf}}` : `<the ${field} value of the form page>`}` };
}

/** `csrf-token-missing`: a 403 to an unsafe request that carried no CSRF token while the server uses one. */
export const csrfTokenMissing: Rule = (facts) => {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected || sent.via !== 'none') return undefined;
  if (!expected.cookie && !expected.form && !expected.saidByServer) return undefined;
  const { headerName, fieldName, cookieName } = facts.context.csrf;
  const off = facts.context.directives.csrf === 'off';
  const method = `${facts.hop.method} ${facts.hop.url.pathname}`;
  // Spring Security 6+ creates the token lazily: the first unsafe request is refused and its 403 sets the cookie.
  const setByThis = expected.cookie !== undefined && lastStoredBy([facts.exchange], cookieName, expected.cookie.value) !== undefined;
  if (setByThis && !off) {
    return {
      id: 'csrf-token-missing',
      message: `CSRF token missing: ${method} went out before the server had issued a token — this 403 set ${cookieName} just now (Spring Security 6+ creates the token on the first request that needs it). Send the request again: the session sends it as ${headerName}.`,
      evidence: withErrorBody(facts.response, [
        `No ${headerName} header${sent.bodyChecked ? ` and no ${fieldName} field` : ''} was sent: the jar held no ${cookieName} for this URL yet`,
        cookieOriginLine(facts, expected.cookie!),
      ]),
      fix: { title: `Send this request again: the session now sends ${cookieName} as ${headerName}`, action: { kind: 'resend' } },
    };
  }
  return {
    id: 'csrf-token-missing',
    message: `CSRF token missing: ${method} sent no ${headerName} header and no ${fieldName} field, so Spring's CSRF filter answered 403.`,
    evidence: withErrorBody(facts.response, [
      sent.bodyChecked
        ? `No ${headerName} header and no ${fieldName} field in the body were sent`
        : `No ${headerName} header was sent (the body was not available to look for a ${fieldName} field)`,
      expected.cookie && cookieOriginLine(facts, expected.cookie),
      expected.form && `${describeExchange(expected.form.exchange)} served a form with a ${fieldName} field`,
      off ? '# @csrf off is set on this request, so the session did not add the header' : undefined,
    ]),
    fix: off
      ? { title: `Remove # @csrf off so the session adds ${headerName} from the jar`, action: { kind: 'remove-directive', directive: 'csrf' } }
      : expected.cookie || !expected.form
        ? csrfHeaderFix(facts, false)
        : formFieldFix(facts, expected),
  };
};

/** A successful login after `exchange`: Spring's CsrfAuthenticationStrategy replaces the token at login. */
function loginSince(facts: Facts, exchange: Exchange): Exchange | undefined {
  const { history } = facts.context;
  return history.slice(history.indexOf(exchange) + 1).findLast((later) => isSuccessfulLogin(later, facts.context));
}

/** `csrf-token-stale`: the token sent is not the one the server now expects (rotated at login, or from an old page). */
export const csrfTokenStale: Rule = (facts) => {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected || sent.via === 'none') return undefined;
  const sentAs = `${sent.name} ${sent.via}`;
  const { cookieName, fieldName } = facts.context.csrf;
  const { current, form, formVoidedBy: login } = expected;
  if (current === undefined) {
    // A session-stored token (no cookie) is only known from pages; one rendered before a login is void after it.
    if (!form || !login || csrfTokenOf(form.value) !== csrfTokenOf(sent.value)) return undefined;
    return {
      id: 'csrf-token-stale',
      message: `CSRF token stale: the ${sentAs} carried the token of ${describeExchange(form.exchange)}, and ${describeExchange(login)} replaced it — Spring Security issues a new token at login. Send a token from a page rendered after the login.`,
      evidence: withErrorBody(facts.response, [
        `Sent ${sentAs}: ${maskSecret(sent.value)}, the token ${describeExchange(form.exchange)} rendered`,
        `Login since then: ${describeExchange(login)} (Spring's CsrfAuthenticationStrategy replaces the token)`,
        `No ${cookieName} cookie: the server keeps the token in the session, so only a page rendered now shows the current one`,
      ]),
      fix: formFieldFix(facts, expected),
    };
  }
  // Spring Security 6+ masks the token differently on every render: compare the tokens behind the masks.
  if (csrfTokenOf(current) === csrfTokenOf(sent.value)) return undefined;
  const exchanges = timeline(facts);
  const rotation = expected.cookie ? lastStoredBy(exchanges, cookieName, current)?.exchange : expected.form?.exchange;
  const earlier = lastStoredBy(exchanges, cookieName, csrfTokenOf(sent.value))?.exchange;
  const rotationText = rotation ? ` — it changed at ${describeExchange(rotation)}` : '';
  return {
    id: 'csrf-token-stale',
    message: `CSRF token stale: the ${sentAs} carried ${maskSecret(sent.value)}, but the server's current token is ${maskSecret(current)}${rotationText}. Send the current token.`,
    evidence: withErrorBody(facts.response, [
      `Sent ${sentAs}: ${maskSecret(sent.value)}`,
      expected.cookie ? cookieOriginLine(facts, expected.cookie) : `The latest form's ${fieldName} is ${maskSecret(current)}`,
      rotation ? `The token rotated at ${describeExchange(rotation)} (Spring issues a new token at login)` : undefined,
      earlier ? `The sent value is the older ${cookieName} set by ${describeExchange(earlier)}` : undefined,
    ]),
    fix: expected.cookie ? csrfHeaderFix(facts, sent.via === 'header') : formFieldFix(facts, expected),
  };
};

/** The latest unsafe request to this origin whose header token, raw or masked, got past the CSRF filter. */
function headerTokenAccepted(facts: Facts, masked: boolean): Exchange | undefined {
  const { headerName } = facts.context.csrf;
  return facts.context.history.findLast((exchange) => {
    const sent = requestAsSent(exchange);
    const value = headerValue(exchange.request.headers, headerName);
    // Anything but 403 got past the CSRF filter: an anonymous request with a good token gets 401. A stored
    // (redacted) exchange's token is masked, so whether it was a masked CSRF token is unknown.
    return (
      !exchange.redacted &&
      exchange.response !== undefined &&
      exchange.response.status !== 403 &&
      isUnsafeMethod(sent.method) &&
      new URL(sent.url).origin === facts.hop.url.origin &&
      value !== undefined &&
      (unmaskCsrfToken(value) !== undefined) === masked
    );
  });
}

/**
 * The raw token cookie went out as the header and was refused: the case of `csrf-token-unmasked`. Undefined
 * when the server is known to take raw tokens, or the 403 came from the application (problem details are
 * rendered by Spring MVC, after Spring Security's filters let the request through).
 */
export function unmaskedTokenRefused(facts: Facts): CookieRecord | undefined {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected?.cookie || sent.via !== 'header' || sent.value !== expected.cookie.value) return undefined;
  if (headerTokenAccepted(facts, false)) return undefined;
  return expected.cookie;
}

/**
 * `csrf-token-unmasked`: Spring Security 6+'s default CSRF handler (XorCsrfTokenRequestAttributeHandler)
 * accepts only masked tokens, so the raw `XSRF-TOKEN` cookie value sent back as `X-XSRF-TOKEN` gets 403.
 */
export const csrfTokenUnmasked: Rule = (facts) => {
  const cookie = unmaskedTokenRefused(facts);
  if (!cookie) return undefined;
  const { cookieName, headerName, fieldName } = facts.context.csrf;
  const form = lastFormToken(facts);
  return {
    id: 'csrf-token-unmasked',
    message: `CSRF token refused as sent: ${facts.hop.method} ${facts.hop.url.pathname} carried the raw ${cookieName} cookie value as ${headerName}, and Spring Security 6+ by default accepts only a masked token (BREACH protection), so it answered 403. Sending the cookie again will not pass: send a masked token, or configure the server's SPA handler.`,
    evidence: withErrorBody(facts.response, [
      `Sent ${headerName}: ${maskSecret(cookie.value)} — exactly the ${cookieName} cookie's value`,
      cookieOriginLine(facts, cookie),
      `No unsafe request with a raw token has passed on ${facts.hop.url.origin} in this session`,
      `Spring Security 6+'s default XorCsrfTokenRequestAttributeHandler expects base64(random ‖ random XOR token), ${Math.ceil((cookie.value.length * 2) / 3) * 4} characters for this token and different on every render — the ${fieldName} of a form, or the token a CsrfToken endpoint returns`,
      form ? `${describeExchange(form.exchange)} rendered a masked ${fieldName} (it is only valid until the token rotates at login)` : undefined,
    ]),
    fix: {
      title: `Send a masked token — ${headerName}: {{page.response.csrf}} from a page rendered after the login, or a CsrfToken endpoint's JSON — or configure the SPA handler on the server: http.csrf(csrf -> csrf.spa()) in Spring Security 7, the SpaCsrfTokenRequestHandler of the reference docs in 6.x`,
    },
  };
};

/**
 * `csrf-token-masked`: the inverse trap. Spring's SPA handler reads the header as the raw token (only a form
 * field is unmasked), so a masked token in X-XSRF-TOKEN gets 403 on a server that took the raw cookie value.
 */
export const csrfTokenMasked: Rule = (facts) => {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected?.cookie || sent.via !== 'header' || unmaskCsrfToken(sent.value) !== expected.cookie.value) return undefined;
  const rawPassed = headerTokenAccepted(facts, false);
  if (!rawPassed || headerTokenAccepted(facts, true)) return undefined;
  const { cookieName, headerName } = facts.context.csrf;
  return {
    id: 'csrf-token-masked',
    message: `CSRF token refused as sent: the ${headerName} header carried a masked token, and this server's CSRF handler (Spring's SPA handler) takes the header as the raw ${cookieName} value — it accepted the raw value before. Send the cookie's value: let csrf auto add the header.`,
    evidence: withErrorBody(facts.response, [
      `Sent ${headerName}: ${maskSecret(sent.value)}, a masked form of the current ${cookieName} (${maskSecret(expected.cookie.value)})`,
      `${describeExchange(rawPassed)} passed with the raw ${cookieName} value in ${headerName}`,
      "Spring's SpaCsrfTokenRequestHandler (csrf.spa()) unmasks only the _csrf form field, never the header",
    ]),
    fix: csrfHeaderFix(facts, true),
  };
};
