import { describe } from 'node:test';
import { context, cookie, exchange, forbidden, login, minutes, runCases, sent, sessionB, t0, xsrfNew } from './fixtures';

const loggedIn = login(t0, sessionB, { stored: [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)] });
const jar = [cookie('JSESSIONID', sessionB), cookie('XSRF-TOKEN', xsrfNew)];

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
      context: context({ history: [loggedIn], jar }),
      ids: ['access-denied'],
      evidence: ["The CSRF token sent matches the server's current one (e4d2…9a00)"],
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
  ]);
});
