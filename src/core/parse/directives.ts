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
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? 'ms').toLowerCase()]);
}

/**
 * Applies directive `keyword` with its (trimmed) `argument` to `target`. Returns a problem message when a
 * known directive is malformed; unknown keywords are plain comments and return undefined.
 */
export function applyDirective(target: DirectiveTarget, keyword: string, argument: string): string | undefined {
  const flag = Object.hasOwn(flagDirectives, keyword) ? flagDirectives[keyword] : undefined;
  if (flag) {
    target.directives[flag] = true;
    return undefined;
  }
  switch (keyword) {
    case 'timeout':
    case 'connection-timeout': {
      const ms = parseDuration(argument);
      if (ms === undefined) return `@${keyword} needs a duration such as 5000, 500 ms, 5 s or 2 m`;
      if (keyword === 'timeout') target.directives.timeoutMs = ms;
      else target.directives.connectionTimeoutMs = ms;
      return undefined;
    }
    case 'name':
      if (!argument) return '@name needs a request name';
      target.name = argument;
      return undefined;
    case 'session':
      if (!argument) return '@session needs a session name';
      target.directives.session = argument;
      return undefined;
    case 'csrf':
      if (argument !== 'auto' && argument !== 'off') return '@csrf takes auto or off';
      target.directives.csrf = argument;
      return undefined;
    default:
      return undefined;
  }
}
