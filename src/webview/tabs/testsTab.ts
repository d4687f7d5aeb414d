// The Tests tab: the request's tests (JetBrains `client.test`, a failed handler) with pass/fail and the
// failure's message, then what its scripts logged with `client.log`. Text only: names and messages come
// from the request file's scripts and the response.
import type { WireExchange } from '../../shared/protocol';
import { h } from '../dom';
import type { Tab } from './tab';

export const testsTab: Tab<'tests'> = {
  id: 'tests',
  label: 'Tests',
  // Failures first: the badge says how many failed, else how many passed.
  count: (counts) => counts.testsFailed || counts.tests,
  render: ({ message }) => testsPanel(message.exchange),
};

function testsPanel(exchange: WireExchange): HTMLElement {
  const tests = exchange.tests ?? [];
  const log = exchange.scriptLog ?? [];
  if (tests.length === 0 && log.length === 0) {
    return h('p', { class: 'empty' }, 'No tests. A response handler (> {% client.test("name", () => …) %}) adds them.');
  }
  const failed = tests.filter((test) => !test.passed).length;
  const parts: HTMLElement[] = [];
  if (tests.length > 0) {
    parts.push(
      h('h3', { class: failed > 0 ? 'tests-summary failed' : 'tests-summary passed' }, failed > 0 ? `${failed} of ${tests.length} failed` : `${tests.length} passed`),
      h(
        'ul',
        { class: 'tests', 'aria-label': 'Tests' },
        ...tests.map((test) =>
          h(
            'li',
            { class: test.passed ? 'test passed' : 'test failed' },
            h('span', { class: 'test-mark', 'aria-label': test.passed ? 'passed' : 'failed' }, test.passed ? '✓' : '✗'),
            ' ',
            h('span', { class: 'test-name' }, test.name),
            test.passed ? null : h('div', { class: 'test-message' }, test.message ?? 'failed'),
          ),
        ),
      ),
    );
  }
  if (log.length > 0) parts.push(h('h3', {}, 'Log'), h('pre', { class: 'script-log', 'aria-label': 'Script log' }, log.join('\n')));
  return h('div', {}, ...parts);
}
