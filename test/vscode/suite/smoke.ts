// Proves the extension loads in a real VS Code: present, active, its commands and CodeLenses work.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defineSuite } from './hostTest';
import { activateExtension, openWorkspaceFile } from './workspace';

interface ContributedCommand {
  command: string;
}

async function lensTitles(relativePath: string): Promise<Array<string | undefined>> {
  const document = await openWorkspaceFile(relativePath);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
  return lenses.map((lens) => lens.command?.title);
}

export default defineSuite('smoke', (test) => {
  test('extension is present, activates and returns its API', async () => {
    const { extension, api } = await activateExtension();
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
  });

  test('every contributed command is registered', async () => {
    const { extension } = await activateExtension();
    const contributed = (extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length > 0);
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  test('CodeLenses: Send All above the first request, Send Request above each', async () => {
    assert.deepEqual(await lensTitles('requests.http'), ['Send All', 'Send Request', 'Send Request']);
  });

  test('an .http file without requests gets no CodeLenses', async () => {
    assert.deepEqual(await lensTitles('empty.http'), []);
  });
});
