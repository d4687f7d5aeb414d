import type { CookieRecord, Exchange, Finding } from '../../model/exchange';
import { jarValueFor } from '../cookieScope';
import { describeExchange, maskValue, springErrorBody, withErrorBody } from '../evidence';
import { isUnsafe, lastFormToken, lastStoredBy, sentCsrfToken, timeline, type Facts, type Rule } from '../facts';
import { csrfHeaderFix } from '../fixes';
import { jarCookieLine } from './jarEvidence';

// Spring's CsrfFilter answers 403 to an unsafe request whose token is missing or does not match.

/** What the doctor knows about the CSRF token the server expects. */
export interface ExpectedToken {
  /** The jar's current token cookie for the URL (CookieCsrfTokenRepository). */
  readonly cookie?: CookieRecord;
  /** The token of the latest form page (HttpSessionCsrfTokenRepository: `<input name="_csrf">`). */
  readonly form?: { readonly exchange: Exchange; readonly value: string };
  /** The server's error message names CSRF. */
  readonly saidByServer: boolean;
}

/** The token the server expects; undefined unless this is a 403 to an unsafe method. */
export function expectedCsrfToken(facts: Facts): ExpectedToken | undefined {
  if (facts.trigger !== 'forbidden' || !isUnsafe(facts)) return undefined;
  return {
    cookie: jarValueFor(facts.context.jar, facts.context.csrf.cookieName, facts.hop.url),
    form: lastFormToken(facts),
    saidByServer: /csrf/i.test(springErrorBody(facts.response)?.message ?? ''),
  };
}

/** Where the expected token cookie came from; a 403 that set it asks for it back. */
function cookieOriginLine(facts: Facts, cookie: CookieRecord): string {
  return jarCookieLine(facts, cookie, `${cookie.name}=${maskValue(cookie.value)}`, `: the server expects it back as ${facts.context.csrf.headerName}`);
}

/** The fix for a form-based token: the chained `{{name.response.csrf}}` of the page that carried it. */
function formFieldFix(facts: Facts, form: ExpectedToken['form']): NonNullable<Finding['fix']> {
  const field = facts.context.csrf.fieldName;
  const source = form?.exchange.request.name;
  return { title: `Send the form's token in the body: ${field}=${source ? `{{${source}.response.csrf}}` : `<the ${field} value of the form page>`}` };
}

/** `csrf-token-missing`: a 403 to an unsafe request that carried no CSRF token while the server uses one. */
export const csrfTokenMissing: Rule = (facts) => {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected || sent.via !== 'none') return undefined;
  if (!expected.cookie && !expected.form && !expected.saidByServer) return undefined;
  const { headerName, fieldName } = facts.context.csrf;
  const off = facts.context.directives.csrf === 'off';
  const method = `${facts.hop.method} ${facts.hop.url.pathname}`;
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
        : formFieldFix(facts, expected.form),
  };
};

/** `csrf-token-stale`: the token sent is not the one the server now expects (rotated at login, or from an old page). */
export const csrfTokenStale: Rule = (facts) => {
  const expected = expectedCsrfToken(facts);
  const sent = sentCsrfToken(facts);
  if (!expected || sent.via === 'none') return undefined;
  const current = expected.cookie?.value ?? expected.form?.value;
  if (current === undefined || current === sent.value) return undefined;
  const { cookieName, headerName, fieldName } = facts.context.csrf;
  const sentAs = sent.via === 'header' ? `${headerName} header` : `${fieldName} field`;
  const exchanges = timeline(facts);
  const rotation = expected.cookie ? lastStoredBy(exchanges, cookieName, current)?.exchange : expected.form?.exchange;
  const earlier = lastStoredBy(exchanges, cookieName, sent.value)?.exchange;
  const rotationText = rotation ? ` — it changed at ${describeExchange(rotation)}` : '';
  return {
    id: 'csrf-token-stale',
    message: `CSRF token stale: the ${sentAs} carried ${maskValue(sent.value)}, but the server's current token is ${maskValue(current)}${rotationText}. Send the current token.`,
    evidence: withErrorBody(facts.response, [
      `Sent ${sentAs}: ${maskValue(sent.value)}`,
      expected.cookie ? cookieOriginLine(facts, expected.cookie) : `The latest form's ${fieldName} is ${maskValue(current)}`,
      rotation ? `The token rotated at ${describeExchange(rotation)} (Spring issues a new token at login)` : undefined,
      earlier ? `The sent value is the older ${cookieName} set by ${describeExchange(earlier)}` : undefined,
    ]),
    fix: expected.cookie ? csrfHeaderFix(facts, sent.via === 'header') : formFieldFix(facts, expected.form),
  };
};
