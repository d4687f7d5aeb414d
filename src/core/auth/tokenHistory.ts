// A token's story from the session's timeline, per auth configuration: what the Session tab shows and the
// doctor cites ("issued 10:02 by client credentials with scope read").
import type { TokenEvent } from '../model/tokenEvent';

/** "client credentials", "refresh token": a grant as the user reads it. */
export function grantLabel(grant: string): string {
  return grant.replace(/_/g, ' ');
}

/** The current token of one auth configuration, as its events tell it. */
export interface TokenHistory {
  readonly configName: string;
  /** The last time a token was issued by the configuration's own grant. */
  readonly issued?: TokenEvent;
  /** The last refresh after that issue. */
  readonly refreshed?: TokenEvent;
  /** When the token now held stops being valid, as the server said (`expires_in`). */
  readonly expiresAt?: number;
  /** The token was dropped after it was obtained: expired (and not yet replaced) or revoked. */
  readonly ended?: TokenEvent;
  readonly lastUsedAt?: number;
  /** Requests that carried the token since it was issued. */
  readonly uses: number;
  readonly events: readonly TokenEvent[];
}

/** One history per auth configuration, in the order they first appear. */
export function tokenHistories(timeline: readonly TokenEvent[]): TokenHistory[] {
  const byConfig = new Map<string, TokenEvent[]>();
  for (const event of timeline) byConfig.set(event.configName, [...(byConfig.get(event.configName) ?? []), event]);
  return [...byConfig].map(([configName, events]) => historyOf(configName, events));
}

function historyOf(configName: string, events: readonly TokenEvent[]): TokenHistory {
  let issued: TokenEvent | undefined;
  let refreshed: TokenEvent | undefined;
  let ended: TokenEvent | undefined;
  let lastUsedAt: number | undefined;
  let uses = 0;
  for (const event of events) {
    if (event.kind === 'issued') [issued, refreshed, ended, lastUsedAt, uses] = [event, undefined, undefined, undefined, 0];
    else if (event.kind === 'refreshed') [refreshed, ended] = [event, undefined];
    else if (event.kind === 'used') [lastUsedAt, uses] = [event.at, uses + 1];
    else ended = event;
  }
  const expiresAt = (refreshed ?? issued)?.expiresAt;
  return {
    configName,
    ...(issued && { issued }),
    ...(refreshed && { refreshed }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(ended && { ended }),
    ...(lastUsedAt !== undefined && { lastUsedAt }),
    uses,
    events,
  };
}
