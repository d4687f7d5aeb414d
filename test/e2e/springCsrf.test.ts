// The Spring Security 6 CSRF traps as a user meets them: the packaged extension in a real VS Code
// (code-server driven by Chromium) against the real Spring Boot 4.0 app in its `spa-xor` setup
// (cookie token repository, default XOR handler). The form login works; the first JSON POST gets a
// 403 that hands out the deferred XSRF-TOKEN and the card offers to send it again; the re-sent raw
// cookie value is refused and the card explains the XOR trap with both ways out, offering no re-send.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSpringBootApp, type SpringBootApp } from '../integration/support/springBoot';
import { clickCodeLens, openFile, panelShows, screenshot, webviewFrame } from '../support/browser';
import { openUiWindow, type UiWindow } from '../support/uiWindow';
import { copyWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
let app: SpringBootApp;
let ui: UiWindow;
let page: Page;

before(async () => {
  [app, workspace] = await Promise.all([startSpringBootApp({ boot: '4.0', profile: 'spa-xor' }), copyWorkspace()]);
  await writeFile(
    path.join(workspace.folder, 'spring-csrf.http'),
    `# @name loginPage
GET ${app.baseUrl}/login
Accept: text/html

###
# @name login
POST ${app.baseUrl}/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password&_csrf={{loginPage.response.csrf}}

###
# @name note
POST ${app.baseUrl}/api/notes
Content-Type: application/json

{"text": "hi"}
`,
  );
  ui = await openUiWindow(workspace.folder);
  page = ui.page;
});

after(async () => {
  await ui?.close();
  await app?.stop();
  await workspace?.remove();
});


test('spa-xor in VS Code: the deferred token 403 offers a re-send; the refused raw token is explained', async () => {
  await openFile(page, 'spring-csrf.http');
  const panel = webviewFrame(page);
  await clickCodeLens(page, 'Send Request', 0, { effect: panel.locator('#history option').first().waitFor({ state: 'attached', timeout: 60_000 }) });
  await panelShows(page, 1, /^200\b/);
  await clickCodeLens(page, 'Send Request', 1, { effect: panel.locator('#history option').nth(1).waitFor({ state: 'attached', timeout: 60_000 }) });
  await panelShows(page, 2, /^200\b/);
  await clickCodeLens(page, 'Send Request', 2, { effect: panel.locator('#history option').nth(2).waitFor({ state: 'attached', timeout: 60_000 }) });
  await panelShows(page, 3, /^403\b/);

  const missing = panel.locator('.finding[data-finding="csrf-token-missing"]');
  await missing.waitFor();
  assert.match((await missing.locator('.verdict').textContent()) ?? '', /this 403 set XSRF-TOKEN just now/);
  const resend = missing.locator('button.fix');
  assert.equal((await resend.textContent())?.trim(), 'Send this request again: the session now sends XSRF-TOKEN as X-XSRF-TOKEN');
  await screenshot(page, 'spring-csrf-deferred');

  await resend.click();
  await panelShows(page, 4, /^403\b/);
  const unmasked = panel.locator('.finding[data-finding="csrf-token-unmasked"]');
  await unmasked.waitFor();
  assert.match((await unmasked.locator('.verdict').textContent()) ?? '', /carried the raw XSRF-TOKEN cookie value as X-XSRF-TOKEN/);
  assert.equal(await unmasked.locator('button.fix').count(), 0, 'no button: sending the same value again cannot pass');
  assert.match((await unmasked.textContent()) ?? '', /csrf\.spa\(\)/);
  await screenshot(page, 'spring-csrf-unmasked');
});
