// Evidence from the lifetime of the session's own OAuth2 token: what the token endpoint granted and when.
import { grantLabel, type TokenHistory } from '../auth/tokenHistory';
import { formatDuration, formatTime } from './evidence';
import type { Facts } from './facts';

/** The history of the Bearer token the request sent, when the session obtained it from an auth configuration. */
export function sentTokenHistory(facts: Facts): TokenHistory | undefined {
  const credentials = facts.credentials;
  return credentials?.scheme === 'bearer' ? facts.context.tokenHistory?.(credentials.value) : undefined;
}

/** "The token of auth configuration 'api' was issued 10:02:00Z by client credentials with scope read (refreshed 10:06:50Z)". */
export function tokenIssuedLine(history: TokenHistory): string {
  const { issued, refreshed } = history;
  const how = issued ? ` was issued ${formatTime(issued.at)}${issued.grant ? ` by ${grantLabel(issued.grant)}` : ''}${issued.scope ? ` with scope ${issued.scope}` : ' without a scope'}` : ' was kept from before';
  return `The token of auth configuration '${history.configName}'${how}${refreshed ? ` (refreshed ${formatTime(refreshed.at)})` : ''}`;
}

/** "…; it expired 10:07:00Z, 5 s before this request" from the expiry the token endpoint gave; undefined when it did not. */
export function tokenExpiredLine(history: TokenHistory, sentAt: number): string | undefined {
  if (history.expiresAt === undefined || history.expiresAt > sentAt) return undefined;
  return `The token endpoint said it lasts until ${formatTime(history.expiresAt)}: it expired ${formatDuration(sentAt - history.expiresAt)} before this request`;
}
