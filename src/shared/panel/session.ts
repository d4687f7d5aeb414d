import type { SessionCookieEvent, SessionCookieEventKind, SessionCookieLifecycle, SessionEndCause } from '../../core/model/exchange';
import { formatClock, formatDuration, shortUrl } from './format';

export interface TimelineEntry {
  readonly kind: SessionCookieEventKind;
  readonly label: string;
  readonly at: number;
  /** Wall clock, HH:MM:SS. */
  readonly clock: string;
  /** "+4m 05s" after the first event of the lifecycle ('' for the first). */
  readonly offset: string;
  /** Which request, and anything the event adds (idle gap). */
  readonly detail: string;
  readonly exchangeId: string;
  /** True for events recorded by the exchange the panel shows. */
  readonly current: boolean;
}

const kindLabels: Readonly<Record<SessionCookieEventKind, string>> = {
  issued: 'Issued',
  rotated: 'Rotated',
  cleared: 'Ended by the server',
  'rejected-by-server': 'Not recognised by the server',
  'rejected-by-jar': 'Refused by the cookie jar',
};

const causeText: Readonly<Record<SessionEndCause, { readonly ended: string; readonly issued: string }>> = {
  'remember-me': { ended: ' — the session was gone; the remember-me cookie logged in again', issued: ' — a new session from the remember-me cookie' },
  'concurrent-login': { ended: ' — expired by a newer login of the same user', issued: '' },
};

export function eventLabel(kind: SessionCookieEventKind): string {
  return kindLabels[kind];
}

function requestText(event: Pick<SessionCookieEvent, 'requestName' | 'url'>): string {
  return event.requestName ? `${event.requestName} (${shortUrl(event.url)})` : shortUrl(event.url);
}

/** The events of one session cookie in time order, as rows of its timeline. */
export function sessionTimeline(lifecycle: SessionCookieLifecycle, currentExchangeId?: string): TimelineEntry[] {
  const events = [...lifecycle.events].sort((a, b) => a.at - b.at);
  const first = events[0]?.at;
  return events.map((event) => {
    let detail = `by ${requestText(event)}`;
    if (event.kind === 'rotated') detail += ' — new session id (e.g. at login)';
    if (event.kind === 'rejected-by-server' && event.idleGapMs !== undefined) detail += ` — after ${formatDuration(event.idleGapMs)} idle`;
    if (event.cause) detail += causeText[event.cause][event.kind === 'issued' ? 'issued' : 'ended'];
    return {
      kind: event.kind,
      label: eventLabel(event.kind),
      at: event.at,
      clock: formatClock(event.at),
      offset: first === undefined || event.at === first ? '' : `+${formatDuration(event.at - first)}`,
      detail,
      exchangeId: event.exchangeId,
      current: event.exchangeId === currentExchangeId,
    };
  });
}

/** Milliseconds since the cookie last went to the server (what the server's idle timer counts), or undefined when it has ended or never went out. */
export function idleNowMs(lifecycle: SessionCookieLifecycle, now: number): number | undefined {
  const lastUse = Math.max(lifecycle.lastSentAt ?? -Infinity, lifecycle.lastSuccessAt ?? -Infinity);
  if (lifecycle.endedAt !== undefined && lifecycle.endedAt >= lastUse) return undefined;
  const base = Number.isFinite(lastUse) ? lastUse : lifecycle.issuedAt;
  return base === undefined ? undefined : Math.max(0, now - base);
}

export function idleNowText(lifecycle: SessionCookieLifecycle, now: number): string {
  const idle = idleNowMs(lifecycle, now);
  if (idle !== undefined) return formatDuration(idle);
  return lifecycle.endedAt !== undefined ? 'Ended' : 'Not used yet';
}

/** What the observed idle gaps say about the server's session timeout. */
export function idleBracketText(lifecycle: Pick<SessionCookieLifecycle, 'longestWorkingIdleMs' | 'shortestFailedIdleMs'>): string {
  const lower = lifecycle.longestWorkingIdleMs;
  const upper = lifecycle.shortestFailedIdleMs;
  if (lower !== undefined && upper !== undefined) {
    if (lower >= upper) {
      return `Inconsistent: it still worked after ${formatDuration(lower)} idle but was forgotten after only ${formatDuration(upper)} — something other than the idle timeout ended a session (logout, restart, a new login).`;
    }
    return `Between ${formatDuration(lower)} and ${formatDuration(upper)} (still worked after ${formatDuration(lower)} idle; forgotten after ${formatDuration(upper)} idle).`;
  }
  if (lower !== undefined) return `Longer than ${formatDuration(lower)} (still worked after ${formatDuration(lower)} idle; no expiry seen yet).`;
  if (upper !== undefined) return `At most ${formatDuration(upper)} (forgotten after ${formatDuration(upper)} idle).`;
  return 'Not observed yet: it shows once the session survives, or loses, an idle gap.';
}

export interface SessionFact {
  readonly label: string;
  readonly value: string;
}

/** The lifecycle's summary facts, in reading order; absent facts are left out. */
export function sessionFacts(lifecycle: SessionCookieLifecycle, now: number): SessionFact[] {
  const facts: SessionFact[] = [];
  const issuedEvent = lifecycle.events.find((e) => e.kind === 'issued');
  if (lifecycle.issuedAt !== undefined) {
    const by = lifecycle.issuedBy ?? (issuedEvent ? requestText(issuedEvent) : undefined);
    facts.push({ label: 'Issued', value: `${formatClock(lifecycle.issuedAt)}${by ? ` by ${by}` : ''}` });
  }
  if (lifecycle.lastRotatedAt !== undefined) {
    const rotation = [...lifecycle.events].reverse().find((e) => e.kind === 'rotated');
    facts.push({ label: 'Rotated', value: `${formatClock(lifecycle.lastRotatedAt)}${rotation ? ` by ${requestText(rotation)}` : ''}` });
  }
  if (lifecycle.lastSentAt !== undefined) facts.push({ label: 'Last sent', value: formatClock(lifecycle.lastSentAt) });
  if (lifecycle.lastSuccessAt !== undefined) facts.push({ label: 'Last success', value: formatClock(lifecycle.lastSuccessAt) });
  if (lifecycle.endedAt !== undefined) facts.push({ label: 'Ended by the server', value: formatClock(lifecycle.endedAt) });
  facts.push({ label: 'Idle now', value: idleNowText(lifecycle, now) });
  facts.push({ label: 'Server idle timeout', value: idleBracketText(lifecycle) });
  return facts;
}
