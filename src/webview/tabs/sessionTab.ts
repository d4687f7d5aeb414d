// The Session tab: each session cookie's facts (idle now, estimated timeout…) and its timeline, and beside
// them each OAuth2 token's (issued, refreshed, expires, last used) in the same look.
import type { SessionCookieLifecycle, WireExchange } from '../../shared/protocol';
import { maskSecret } from '../../shared/panel/mask';
import { idleNowText, sessionFacts, sessionTimeline, type SessionFact } from '../../shared/panel/session';
import { tokenCards } from '../../shared/panel/tokens';
import { append, h, secret } from '../dom';
import type { Tab, TabInput } from './tab';

export const sessionTab: Tab<'session'> = {
  id: 'session',
  label: 'Session',
  count: (counts) => counts.sessionCookies + counts.tokens,
  render: ({ message, now, everySecond }) => {
    const cards = tokenCards(message.tokenEvents, now());
    // With tokens but no session cookie, the tab is about the tokens: no "no session cookie" note.
    const container = message.lifecycles.length === 0 && cards.length > 0 ? h('div', { class: 'session-panel' }) : sessionPanel(message.exchange, message.lifecycles, now, everySecond);
    for (const card of cards) container.appendChild(tokenCard(card));
    return container;
  },
};

function factList(facts: readonly SessionFact[]): HTMLElement {
  const list = h('dl', { class: 'facts' });
  for (const fact of facts) append(list, h('dt', {}, fact.label), h('dd', {}, fact.value));
  return list;
}

/** One auth configuration's token: never its value, only its lifetime. */
function tokenCard(card: ReturnType<typeof tokenCards>[number]): HTMLElement {
  const timeline = h('ol', { class: 'timeline', 'aria-label': `Token ${card.configName} timeline` });
  for (const entry of card.timeline) {
    timeline.appendChild(
      h(
        'li',
        { class: `event event-token-${entry.kind}`, 'data-kind': entry.kind },
        h('span', { class: 'dot', 'aria-hidden': 'true' }),
        h('span', { class: 'event-time' }, entry.clock),
        h('span', { class: 'event-label' }, entry.label),
        h('span', { class: 'event-detail' }, entry.detail),
      ),
    );
  }
  return h(
    'section',
    { class: 'session-card token-card', 'aria-label': `OAuth2 token ${card.configName}`, 'data-config': card.configName },
    h('h3', {}, 'OAuth2 token ', h('span', { class: 'sub' }, card.configName)),
    factList(card.facts),
    timeline,
  );
}

function sessionPanel(exchange: WireExchange, lifecycles: readonly SessionCookieLifecycle[], hostNow: TabInput['now'], everySecond: TabInput['everySecond']): HTMLElement {
  if (lifecycles.length === 0) {
    return h('div', { class: 'session-panel' }, h('p', { class: 'empty' }, 'No session cookie seen yet. The panel follows JSESSIONID, SESSION and the session cookie names set in the settings.'));
  }
  const idleCells: { element: HTMLElement; lifecycle: SessionCookieLifecycle }[] = [];
  const now = hostNow();
  const container = h('div', { class: 'session-panel' });
  for (const lifecycle of lifecycles) {
    const value = currentValue(exchange, lifecycle.cookieName);
    const facts = h('dl', { class: 'facts' });
    for (const fact of sessionFacts(lifecycle, now)) {
      const dd = h('dd', {}, fact.value);
      if (fact.label === 'Idle now') {
        dd.classList.add('idle-now');
        idleCells.push({ element: dd, lifecycle });
      }
      append(facts, h('dt', {}, fact.label), dd);
    }
    const timeline = h('ol', { class: 'timeline', 'aria-label': `${lifecycle.cookieName} timeline` });
    for (const entry of sessionTimeline(lifecycle, exchange.id)) {
      timeline.appendChild(
        h(
          'li',
          { class: `event event-${entry.kind}${entry.current ? ' current' : ''}`, 'data-kind': entry.kind },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('span', { class: 'event-time' }, entry.clock),
          h('span', { class: 'event-label' }, entry.label),
          entry.offset ? h('span', { class: 'event-offset' }, entry.offset) : null,
          h('span', { class: 'event-detail' }, entry.detail),
          entry.current ? h('span', { class: 'pill' }, 'this response') : null,
        ),
      );
    }
    container.appendChild(
      h(
        'section',
        { class: 'session-card', 'aria-label': `Session cookie ${lifecycle.cookieName}` },
        h('h3', {}, lifecycle.cookieName, ' ', h('span', { class: 'sub' }, `${lifecycle.domain} ${lifecycle.path}`)),
        value !== undefined ? h('p', { class: 'current-value' }, 'Value: ', secret(maskSecret(value), value)) : null,
        facts,
        lifecycle.events.length ? timeline : h('p', { class: 'empty' }, 'No events recorded.'),
      ),
    );
  }
  if (idleCells.length > 0) {
    everySecond(() => {
      const now = hostNow();
      for (const cell of idleCells) cell.element.textContent = idleNowText(cell.lifecycle, now);
    });
  }
  return container;
}

function currentValue(exchange: WireExchange, name: string): string | undefined {
  const stored = [...exchange.cookies.stored].reverse().find((c) => c.name === name);
  return stored?.value ?? exchange.cookies.sent.find((c) => c.name === name)?.value;
}
