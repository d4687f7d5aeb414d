// The Session tab's token cards: per auth configuration, facts and a timeline in the session cookie's look.
// Built from the lifetime events only: no token value ever reaches the panel.
import type { TokenEvent, TokenEventKind } from '../../core/model/tokenEvent';
import { grantLabel, tokenHistories, type TokenHistory } from '../../core/auth/tokenHistory';
import { formatClock, formatDuration } from './format';
import type { SessionFact } from './session';

export interface TokenTimelineEntry {
  readonly kind: TokenEventKind;
  readonly label: string;
  /** Wall clock, HH:MM:SS. */
  readonly clock: string;
  readonly detail: string;
}

export interface TokenCard {
  readonly configName: string;
  readonly facts: readonly SessionFact[];
  readonly timeline: readonly TokenTimelineEntry[];
}

const kindLabels: Readonly<Record<TokenEventKind, string>> = {
  issued: 'Issued',
  refreshed: 'Refreshed',
  expired: 'Expired',
  revoked: 'Revoked or forgotten',
  used: 'Used',
};

function obtainedText(event: TokenEvent): string {
  return `${event.grant ? `by ${grantLabel(event.grant)}` : ''}${event.scope ? ` with scope ${event.scope}` : ''}`.trim();
}

/** "10:07:03 (in 4m 32s)" or "10:07:03 (expired 12.00 s ago)". */
export function expiryText(expiresAt: number, now: number): string {
  return `${formatClock(expiresAt)} (${expiresAt > now ? `in ${formatDuration(expiresAt - now)}` : `expired ${formatDuration(now - expiresAt)} ago`})`;
}

function facts(history: TokenHistory, now: number): SessionFact[] {
  const list: SessionFact[] = [];
  if (history.issued) list.push({ label: 'Issued', value: `${formatClock(history.issued.at)} ${obtainedText(history.issued)}`.trim() });
  if (history.refreshed) list.push({ label: 'Refreshed', value: formatClock(history.refreshed.at) });
  if (history.ended) list.push({ label: kindLabels[history.ended.kind], value: formatClock(history.ended.at) });
  else list.push({ label: 'Expires', value: history.expiresAt === undefined ? 'Not said by the server' : expiryText(history.expiresAt, now) });
  if (history.lastUsedAt !== undefined) list.push({ label: 'Last used', value: `${formatClock(history.lastUsedAt)} (${history.uses} request${history.uses === 1 ? '' : 's'} reused it)` });
  return list;
}

/** Rows of the timeline; a run of uses is one row, so a busy token does not bury its issue and expiry. */
function timeline(events: readonly TokenEvent[]): TokenTimelineEntry[] {
  const rows: TokenTimelineEntry[] = [];
  let usedRun = 0;
  for (const event of events) {
    const row = { kind: event.kind, label: kindLabels[event.kind], clock: formatClock(event.at) };
    if (event.kind === 'used') {
      usedRun = rows.at(-1)?.kind === 'used' ? usedRun + 1 : 1;
      // The run's row keeps the time of its first use.
      const first = usedRun > 1 ? rows.pop()! : row;
      rows.push({ ...first, detail: usedRun > 1 ? `${usedRun} requests, the last at ${formatClock(event.at)}` : 'by a request' });
      continue;
    }
    const expiry = event.expiresAt === undefined ? '' : event.kind === 'expired' ? `valid until ${formatClock(event.expiresAt)}` : `, expires ${formatClock(event.expiresAt)}`;
    rows.push({ ...row, detail: event.kind === 'issued' || event.kind === 'refreshed' ? `${obtainedText(event)}${expiry}` : expiry });
  }
  return rows;
}

/** One card per auth configuration whose token the session used. */
export function tokenCards(events: readonly TokenEvent[], now: number): TokenCard[] {
  return tokenHistories(events).map((history) => ({ configName: history.configName, facts: facts(history, now), timeline: timeline(history.events) }));
}
