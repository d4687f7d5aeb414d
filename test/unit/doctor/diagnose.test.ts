import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnose } from '../../../src/core/doctor/diagnose';
import { context, cookie, exchange, forbidden, login, minutes, origin, runCases, sent, sessionA, t0, unauthorized } from './fixtures';

const jar = [cookie('JSESSIONID', sessionA)];
const history = [login(t0, sessionA)];

describe('what the doctor must stay quiet about', () => {
  runCases([
    { name: 'a 200 yields nothing', exchange: exchange({ url: '/api/me', at: t0, status: 200, sent: [sent('JSESSIONID', sessionA)] }), context: context({ history, jar }), ids: [] },
    { name: 'a successful login (302 to /) yields nothing', exchange: login(t0, sessionA), context: context(), ids: [] },
    {
      name: 'a logout redirecting to /login?logout yields nothing',
      exchange: exchange({ method: 'POST', url: '/logout', at: t0, status: 302, responseHeaders: [['Location', `${origin}/login?logout`]] }),
      context: context({ history, jar }),
      ids: [],
    },
    { name: 'opening the login page yields nothing', exchange: exchange({ url: '/login?error', at: t0, status: 200 }), context: context(), ids: [] },
    { name: 'a 404 yields nothing', exchange: exchange({ url: '/nope', at: t0, status: 404 }), context: context(), ids: [] },
    {
      name: 'a 403 on GET with a live session is access-denied only, never CSRF',
      exchange: forbidden({ url: '/api/admin', at: t0 + minutes(1), sent: [sent('JSESSIONID', sessionA)] }),
      context: context({ history, jar: [...jar, cookie('XSRF-TOKEN', 'e4d2a9b8-77c1-4f0e-8a3b-5d6c7e8f9a00')] }),
      ids: ['access-denied'],
    },
    {
      name: 'a Bearer-protected 401 is not blamed on the empty jar',
      exchange: exchange({
        url: '/api/me',
        at: t0,
        headers: [['Authorization', 'Bearer opaque-token-1234567890']],
        status: 401,
        responseHeaders: [['WWW-Authenticate', 'Bearer error="invalid_token"']],
      }),
      context: context({ jar: [cookie('JSESSIONID', sessionA, { domain: '127.0.0.1', path: '/app' })] }),
      ids: ['bearer-token-invalid'],
    },
    {
      name: 'an expired session is not also reported as "no session cookie"',
      exchange: unauthorized({ url: '/api/me', at: t0 + minutes(40), sent: [sent('JSESSIONID', sessionA)] }),
      context: context({ history, jar }),
      ids: ['session-expired'],
    },
  ]);

  test('an exchange without a response (connection refused) yields nothing', () => {
    const { response: _response, ...failed } = exchange({ url: '/api/me', at: t0, status: 401 });
    assert.deepEqual(diagnose({ ...failed, error: { code: 'HS_CONNECT_REFUSED', message: 'refused' } }, context()), []);
  });
});
