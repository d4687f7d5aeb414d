import type { RequestTemplate } from '../model/request';
import { isUnsafeMethod } from '../send/csrf';
import { defaultLoginPaths } from './context';

const loginNamePattern = /log[-_]?in|sign[-_]?in|log[-_]?on|authenticate|^auth$|token/i;

/** The path of a URL template (`{{host}}/login?next=/` → `/login`), without relying on variables being resolved. */
function templatePath(url: string): string {
  const withoutQuery = url.split(/[?#]/, 1)[0]!;
  const afterScheme = withoutQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\{\{[^}]*\}\}/, '');
  return afterScheme.toLowerCase().replace(/\/+$/, '');
}

/**
 * The names of a file's login-like requests, best first: an unsafe request to a login path whose name says so,
 * then one to a login path, then one named like a login. A GET of the login page is not one (it only fetches the form).
 */
export function loginRequestNames(templates: readonly RequestTemplate[], loginPaths: readonly string[] = defaultLoginPaths): string[] {
  const ranked: { name: string; rank: number }[] = [];
  for (const template of templates) {
    if (template.name === undefined || !isUnsafeMethod(template.method)) continue;
    const path = templatePath(template.url);
    const toLoginPath = loginPaths.some((loginPath) => path.endsWith(loginPath.toLowerCase()));
    const namedLikeLogin = loginNamePattern.test(template.name);
    if (!toLoginPath && !namedLikeLogin) continue;
    ranked.push({ name: template.name, rank: toLoginPath && namedLikeLogin ? 0 : toLoginPath ? 1 : 2 });
  }
  // Array.sort is stable: the file's order decides within a rank.
  return [...new Set(ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.name))];
}
