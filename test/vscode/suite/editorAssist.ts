// Issue 4: what the editor offers while writing requests — hover shows a variable's resolved value
// (a private env value masked), `{{` completes variable names, folding follows the request blocks.
// Issue 13: directives come from one table, with one duration convention, and drive the grammar.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defineSuite } from './hostTest';
import { codesAndLines, openRequestFile, whenDiagnosticsPublished, writeWorkspaceFile } from './requestFiles';
import { activateExtension } from './workspace';

const secret = 's3cret-token-value';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (content instanceof vscode.MarkdownString ? content.value : typeof content === 'string' ? content : content.value))
    .join('\n');
}

export default defineSuite('editor assistance', (test) => {
  test('hover resolves a variable through the environment and masks a private value', async () => {
    const { api } = await activateExtension();
    await writeWorkspaceFile('assist/http-client.env.json', JSON.stringify({ dev: { host: 'http://127.0.0.1:9' } }));
    await writeWorkspaceFile('assist/http-client.private.env.json', JSON.stringify({ dev: { token: secret } }));
    const document = await openRequestFile('assist/hover.http', '@base = {{host}}/api\n\nGET {{base}}/items\nAuthorization: Bearer {{token}}\n');
    await api.environments.select('dev');
    try {
      const atBase = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 7));
      assert.match(hoverText(atBase), /http:\/\/127\.0\.0\.1:9\/api/);
      const atToken = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(3, 26)));
      assert.match(atToken, /secret, masked/);
      assert.ok(!atToken.includes(secret), `the private value leaked into the hover: ${atToken}`);
    } finally {
      await api.environments.select(undefined);
    }
  });

  test('doubling variables: a diagnostic on the first one past 4 MiB, and a hover that answers at once with it', async () => {
    const { api } = await activateExtension();
    const lines = ['@a0 = xxxxxxxxxxxxxxxx', ...Array.from({ length: 30 }, (_, i) => `@a${i + 1} = {{a${i}}}{{a${i}}}`), '', 'POST http://127.0.0.1:9/upload', '', '{{a30}}', ''];
    const document = await openRequestFile('assist/bomb.http', lines.join('\n'));
    const diagnostics = (await api.editorAssist.refresh(document)).filter((d) => d.code === 'expansion-too-large');
    assert.equal(diagnostics[0]?.range.start.line, 19);
    assert.equal(diagnostics[0]?.message, '@a19 expands to 8.0 MiB (the limit is 4.0 MiB): its variables repeat others');
    const started = Date.now();
    const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(34, 3)));
    assert.ok(Date.now() - started < 3000, `the hover took ${Date.now() - started} ms`);
    // appendText writes spaces as &nbsp;.
    assert.match(hover.replace(/&nbsp;/g, ' '), /Variable 'a19' expands to more than 4 MiB/);
  });

  test('{{ completes file, environment and dynamic variables, without showing private values', async () => {
    const { api } = await activateExtension();
    const document = await openRequestFile('assist/complete.http', '@base = http://127.0.0.1:9\n\nGET {{\n');
    await api.environments.select('dev');
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(2, 6), '{');
      const byName = new Map(list.items.map((item) => [typeof item.label === 'string' ? item.label : item.label.label, item]));
      for (const name of ['base', '$uuid', '$timestamp']) assert.ok(byName.has(name), `completion offers ${name}: ${[...byName.keys()].join(', ')}`);
      // `token` comes from assist/http-client.private.env.json: offered by name, its value never shown.
      const token = byName.get('token');
      assert.ok(token, 'the private env variable is offered');
      assert.ok(!JSON.stringify({ detail: token.detail, documentation: token.documentation }).includes(secret), 'its value is not shown');
    } finally {
      await api.environments.select(undefined);
    }
  });

  test('folding follows the ### request blocks', async () => {
    await activateExtension();
    const document = await openRequestFile('assist/fold.http', '### one\nGET http://127.0.0.1:9/a\nAccept: */*\n\n### two\nPOST http://127.0.0.1:9/b\n\n{"x": 1}\n');
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    assert.deepEqual(
      ranges.map((r) => [r.start, r.end]),
      [
        [0, 2],
        [4, 7],
      ],
    );
  });

  test('a YAML timeout in milliseconds from before is flagged at its value; the same in a .http file is seconds as always', async () => {
    const { api } = await activateExtension();
    const http = await openRequestFile('assist/old.http', '# @timeout 5000\nGET http://127.0.0.1:9/a\n');
    assert.deepEqual(await api.editorAssist.refresh(http), []);
    const yaml = await openRequestFile('assist/old.http.yaml', 'requests:\n  - GET: http://127.0.0.1:9/a\n    timeout: 5000\n');
    const [problem, ...others] = await whenDiagnosticsPublished(yaml.uri);
    assert.deepEqual([codesAndLines([problem]), others.length], [[['duration-in-seconds', 2]], 0]);
    assert.deepEqual([problem.range.start.character, problem.range.end.character], [13, 17]);
    assert.match(problem.message, /5000 seconds.*5000ms/);
  });

  test('the grammar built from the directive table tokenizes .http files', async () => {
    await activateExtension();
    const document = await openRequestFile('assist/grammar.http', '# @timeout 30s\n# @no-redirect\nGET http://127.0.0.1:9/a\n');
    // Throws "Cannot resolve tokenizer" unless VS Code loaded the grammar the manifest names (dist/http.tmLanguage.json).
    const result = await vscode.commands.executeCommand<{ tokenizeTime: number }>('_workbench.colorizeTextMateTokens', document.uri);
    assert.equal(typeof result.tokenizeTime, 'number');
  });
});
