import { describe } from 'node:test';
import { tokenHistories } from '../../../src/core/auth/tokenHistory';
import { context, cookie, exchange, forbidden, login, minutes, runCases, sent, sessionB, t0, xsrfNew } from './fixtures';

const loggedIn = login(t0, sessionB, { stored: [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)] });
const jar = [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)];
// The server took the raw cookie value as the header before: its CSRF handler is not Spring Security 6's XOR default.
const rawTokenPassed = exchange({ method: 'POST', url: '/api/notes', at: t0 + minutes(0.5), status: 201, headers: [['X-XSRF-TOKEN', xsrfNew]], sent: [sent('JSESSIONID', sessionB)] });

describe('access-denied', () => {
  runCases([
    {
      name: 'GET with a live session answered 403: authorization, not CSRF',
      exchange: forbidden({ url: '/api/admin/users', at: t0 + minutes(1), sent: [sent('JSESSIONID', sessionB), sent('XSRF-TOKEN', xsrfNew)] }, 'Access is denied'),
      context: context({ history: [loggedIn], jar }),
      ids: ['access-denied'],
      message: ['refuses GET /api/admin/users ("Access is denied")', 'authorization, not authentication'],
      evidence: ['Authenticated with JSESSIONID=A90D…3D2C', 'GET is not checked for CSRF', 'message "Access is denied", path /api/admin/users'],
      action: null,
    },
    {
      name: 'POST with the current CSRF token still refused',
      exchange: forbidden(
        { method: 'DELETE', url: '/api/users/7', at: t0 + minutes(1), headers: [['X-XSRF-TOKEN', xsrfNew]], sent: [sent('JSESSIONID', sessionB), sent('XSRF-TOKEN', xsrfNew)] },
        'Access is denied',
      ),
      context: context({ history: [loggedIn, rawTokenPassed], jar }),
      ids: ['access-denied'],
      evidence: ["The CSRF token sent matches the server's current one (e4d2…9a00)"],
    },
    {
      name: 'a 403 in problem details is the application refusing, not CSRF',
      exchange: exchange({
        method: 'POST',
        url: '/api/reports',
        at: t0 + minutes(1),
        status: 403,
        headers: [['X-XSRF-TOKEN', xsrfNew]],
        sent: [sent('JSESSIONID', sessionB)],
        responseHeaders: [['Content-Type', 'application/problem+json']],
        body: '{"type":"about:blank","title":"Forbidden","status":403,"detail":"Access Denied","instance":"/api/reports"}',
      }),
      context: context({ history: [loggedIn], jar }),
      ids: ['access-denied'],
      message: ['refuses POST /api/reports ("Access Denied")'],
      evidence: [
        "The 403 is the application's own problem details",
        'The server\'s problem details (application/problem+json) say: status 403, title "Forbidden", detail "Access Denied", instance /api/reports',
      ],
    },
    {
      name: 'a Bearer token without the scope',
      exchange: exchange({
        url: '/api/admin',
        at: t0,
        headers: [['Authorization', 'Bearer opaque-token-1234567890']],
        status: 403,
        responseHeaders: [['WWW-Authenticate', 'Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="admin"']],
      }),
      context: context(),
      ids: ['access-denied'],
      evidence: ['Authenticated with Authorization: bearer', 'Required scope: admin', 'error="insufficient_scope"'],
    },
    {
      name: "the session's own token without the scope: when and how it was issued, and the scope the API needs",
      exchange: exchange({
        url: '/api/admin',
        at: t0,
        headers: [['Authorization', 'Bearer opaque-token-1234567890']],
        status: 403,
        responseHeaders: [['WWW-Authenticate', 'Bearer error="insufficient_scope", scope="admin"']],
      }),
      context: context({
        tokenHistory: (token) =>
          token === 'opaque-token-1234567890'
            ? tokenHistories([{ kind: 'issued', at: t0 - minutes(2), configName: 'api', grant: 'client_credentials', scope: 'read' }])[0]
            : undefined,
      }),
      ids: ['access-denied'],
      evidence: ["The token of auth configuration 'api' was issued 2024-05-01T09:58:00Z by client credentials with scope read; the API needs admin"],
      fixTitle: "Ask for scope admin in 'Scope' of auth configuration 'api'",
      notInEvidence: ['opaque-token-1234567890'],
    },
  ]);
});
