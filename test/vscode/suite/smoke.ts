// Proves the extension loads in a real VS Code: present, active, its command and CodeLenses work.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defineSuite } from './hostTest';
import { extensionId, openWorkspaceFile } from './workspace';

export default defineSuite('smoke', (test) => {
  test('extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed in the extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('its command is registered and runs', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('smokeExtension.hello'), 'smokeExtension.hello is not registered');
    const count = await vscode.commands.executeCommand<number>('smokeExtension.hello');
    assert.equal(typeof count, 'number');
  });

  test('CodeLens provider gives one lens per request in an .http file', async () => {
    const document = await openWorkspaceFile('requests.http');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((lens) => lens.command?.title);
    assert.deepEqual(titles, ['Smoke Send', 'Smoke Send']);
  });
});
