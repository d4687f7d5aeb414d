import type { Finding } from '../model/exchange';
import type { Facts } from './facts';

/** The request name to re-run for a fresh login: the latest login in history, else the file's first. */
export function loginToRerun(facts: Facts): string | undefined {
  const names = facts.context.loginRequestNames;
  const latest = facts.context.history.findLast((exchange) => exchange.request.name !== undefined && names.includes(exchange.request.name));
  return latest?.request.name ?? names[0];
}

/** The "log in again" fix, naming the login request to re-run when the file has one. */
export function rerunLoginFix(facts: Facts, purpose = 'log in'): NonNullable<Finding['fix']> {
  const login = loginToRerun(facts);
  return login
    ? { title: `Re-run '${login}' to ${purpose}, then send this request again`, action: { kind: 'rerun-request', requestName: login } }
    : { title: `Add a login request (for example POST /login) to this file and send it to ${purpose}` };
}

/** The fix that makes the session send the jar's current CSRF token. */
export function csrfHeaderFix(facts: Facts, replace: boolean): NonNullable<Finding['fix']> {
  const { headerName, cookieName } = facts.context.csrf;
  const value = `{{$cookie ${cookieName}}}`;
  return {
    title: `${replace ? 'Replace the written' : 'Add the'} ${headerName} header with ${headerName}: ${value}, or let # @csrf auto add it`,
    action: { kind: 'add-header', name: headerName, value },
  };
}
