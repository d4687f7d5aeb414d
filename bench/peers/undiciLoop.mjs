// The baseline: a plain undici + tough-cookie loop, 1 login + N GETs, as a whole process.
import { Agent, request } from 'undici';
import { CookieJar } from 'tough-cookie';

const [base, count] = [process.argv[2], Number(process.argv[3])];
const agent = new Agent();
const jar = new CookieJar();

async function send(method, url, body, headers = {}) {
  const cookie = await jar.getCookieString(url);
  const response = await request(url, { method, body, dispatcher: agent, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const setCookie = response.headers['set-cookie'];
  for (const value of [setCookie ?? []].flat()) await jar.setCookie(value, url, { ignoreError: true });
  await response.body.arrayBuffer();
  return response.statusCode;
}

await send('POST', `${base}/login`, 'username=user&password=password', { 'content-type': 'application/x-www-form-urlencoded' });
for (let i = 0; i < count; i++) await send('GET', `${base}/data/${i}`);
await agent.close();
