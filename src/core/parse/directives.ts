import type { RequestDirectives } from '../model/request';

/** What `# @...` directive comments set on a request. */
export interface DirectiveTarget {
  directives: RequestDirectives;
  name?: string;
}

type FlagDirective = 'noRedirect' | 'noCookieJar' | 'noLog' | 'noAutoEncoding';

const flagDirectives: Readonly<Record<string, FlagDirective>> = {
  'no-redirect': 'noRedirect',
  'no-cookie-jar': 'noCookieJar',
  'no-log': 'noLog',
  'no-auto-encoding': 'noAutoEncoding',
};

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** Parses `500`, `500 ms`, `5 s`, `1.5s`, `2 m` into whole milliseconds (a bare number is milliseconds). */
export function parseDuration(text: string, bareUnit: 'ms' | 's'): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? bareUnit).toLowerCase()]);
}

/** What became of one directive: applied, a plain comment (unknown word), or a known directive written wrong. */
export type DirectiveOutcome = 'applied' | 'unknown' | { readonly problem: string };

/** Applies directive `keyword` with its (trimmed) `argument` to `target`. */
export function applyDirective(target: DirectiveTarget, keyword: string, argument: string): DirectiveOutcome {
  const flag = Object.hasOwn(flagDirectives, keyword) ? flagDirectives[keyword] : undefined;
  if (flag) {
    target.directives[flag] = true;
    return 'applied';
  }
  switch (keyword) {
    case 'timeout':
    case 'connection-timeout': {
      // A bare number is seconds, as in the JetBrains HTTP Client (`# @timeout 600` is ten minutes).
      const ms = parseDuration(argument, 's');
      if (ms === undefined) return { problem: `@${keyword} needs a duration such as 30 (seconds), 500 ms, 5 s or 2 m` };
      if (keyword === 'timeout') target.directives.timeoutMs = ms;
      else target.directives.connectionTimeoutMs = ms;
      return 'applied';
    }
    case 'name':
      if (!argument) return { problem: '@name needs a request name' };
      target.name = argument;
      return 'applied';
    case 'session':
      if (!argument) return { problem: '@session needs a session name' };
      target.directives.session = argument;
      return 'applied';
    case 'csrf':
      if (argument !== 'auto' && argument !== 'off') return { problem: '@csrf takes auto or off' };
      target.directives.csrf = argument;
      return 'applied';
    default:
      return 'unknown';
  }
}
