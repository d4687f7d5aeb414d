// `npm run demo:spring`: build (with Maven, on first use) and start the real Spring Boot 4.0 test app
// (test/fixtures/spring-boot) for examples/ to run against, instead of the embedded demo server of
// `npm start`. Runs until Ctrl+C, then stops the JVM. No VS Code, no code-server.
//
// HTTP_SESSION_DEMO_PORT (default 8080; 0 picks a free port), HTTP_SESSION_DEMO_PROFILE (default spa:
// the cookie CSRF repository with the single-page-app handler, what the demo server imitates; see
// test/fixtures/spring-boot for the others), HTTP_SESSION_DEMO_SESSION_TIMEOUT (idle seconds, default 120).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

const repoRoot = path.resolve(import.meta.dirname, '..');

function untilInterrupted() {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve(signal));
  });
}

function wholeNumber(name, fallback) {
  const value = process.env[name] ?? String(fallback);
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got '${value}'`);
  return Number(value);
}

async function main() {
  const { startSpringBootApp, springProfiles } = await tsImport('../test/integration/support/springBoot.ts', import.meta.url);
  const port = wholeNumber('HTTP_SESSION_DEMO_PORT', 8080);
  const sessionTimeoutSeconds = wholeNumber('HTTP_SESSION_DEMO_SESSION_TIMEOUT', 120);
  const profile = process.env.HTTP_SESSION_DEMO_PROFILE || 'spa';
  if (!springProfiles.includes(profile)) throw new Error(`HTTP_SESSION_DEMO_PROFILE must be one of ${springProfiles.join(', ')}, got '${profile}'`);
  const pom = readFileSync(path.join(repoRoot, 'test/fixtures/spring-boot/boot4/pom.xml'), 'utf8');
  const bootVersion = /<artifactId>spring-boot-starter-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1] ?? '4.0';

  // Ctrl+C during the build or the start-up also stops the JVM once it is up (a terminal's Ctrl+C
  // reaches Maven and java too: then starting fails, quietly).
  let stopping = false;
  const interrupted = untilInterrupted().then(() => (stopping = true));
  const app = await startSpringBootApp({ boot: '4.0', profile, port, sessionTimeoutSeconds }).catch((error) => {
    if (!stopping) throw error;
  });
  if (!app) return;
  try {
    if (!stopping) {
      console.log(`Spring Boot demo server: ${app.baseUrl} (Boot ${bootVersion}, profile ${profile})`);
      console.log(`Users: user/password, admin/admin. Sessions expire after ${sessionTimeoutSeconds} s idle. Ctrl+C stops it.`);
    }
    await interrupted;
  } finally {
    await app.stop();
    console.log('Stopped.');
  }
}

main().catch((error) => {
  console.error(`npm run demo:spring: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
