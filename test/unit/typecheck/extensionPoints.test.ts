// The extension points the compiler checks: each case makes, in memory, the edit a contributor makes when
// adding a message, a count, a fix kind, a tab or a finding, forgets the rest, and type-checks the project
// with the TypeScript compiler the way `npm run typecheck` does. A forgotten guard, handler or tab module
// must be a type error in the file that needs it, not a message the host drops at run time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../../..');

interface Edit {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

interface Project {
  readonly options: ts.CompilerOptions;
  /** Parsed files shared by every check of this project (the libraries dominate the cost). */
  readonly parsed: Map<string, ts.SourceFile | undefined>;
}

function project(tsconfig: string): Project {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(root, tsconfig), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  assert.ok(config, tsconfig);
  return { options: config.options, parsed: new Map() };
}

const mainProject = project('tsconfig.json');
const webviewProject = project('src/webview/tsconfig.json');

/** Type errors, as "file: message", of `entries` and what they import, with `edits` applied in memory. */
function typeErrors({ options, parsed }: Project, entries: readonly string[], edits: readonly Edit[] = []): string[] {
  const edited = new Map<string, string>();
  for (const edit of edits) {
    const path = resolve(root, edit.file);
    const text = edited.get(path) ?? readFileSync(path, 'utf8');
    assert.equal(text.split(edit.find).length, 2, `${edit.file} should contain ${JSON.stringify(edit.find)} once`);
    edited.set(path, text.replace(edit.find, edit.replace));
  }
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion) => {
    const path = resolve(fileName);
    const text = edited.get(path);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    if (!parsed.has(path)) parsed.set(path, readSource(fileName, languageVersion));
    return parsed.get(path);
  };
  const program = ts.createProgram(
    entries.map((entry) => resolve(root, entry)),
    options,
    host,
  );
  return program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/'))
    .flatMap((file) => program.getSemanticDiagnostics(file).concat(program.getSyntacticDiagnostics(file)))
    .map((d) => `${d.file ? relative(root, d.file.fileName) : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** The files of `errors`, each once. */
const filesOf = (errors: readonly string[]) => [...new Set(errors.map((error) => error.slice(0, error.indexOf(':'))))].sort();

const hostEntries = ['src/shared/protocol.ts', 'src/shared/panel/viewModel.ts', 'src/vscode/findingActions.ts', 'src/core/doctor/diagnose.ts'];
const webviewEntries = ['src/webview/main.ts'];

describe('a forgotten piece of an extension point fails type-checking', () => {
  test('the project type-checks as it is', () => {
    assert.deepEqual(typeErrors(mainProject, hostEntries), []);
    assert.deepEqual(typeErrors(webviewProject, webviewEntries), []);
  });

  test('a count in the rendered summary without its guard', () => {
    const errors = typeErrors(mainProject, hostEntries, [{ file: 'src/shared/protocol.ts', find: '    readonly findings: number;\n', replace: '    readonly findings: number;\n    readonly scripts: number;\n' }]);
    // The guard (else every `rendered` message is dropped) and the count itself.
    assert.deepEqual(filesOf(errors), ['src/shared/panel/viewModel.ts', 'src/shared/protocol.ts'], errors.join('\n'));
  });

  test('a field of a message without its guard', () => {
    const errors = typeErrors(mainProject, hostEntries, [
      { file: 'src/shared/protocol.ts', find: "{ readonly type: 'copyCurl'; readonly exchangeId: string }", replace: "{ readonly type: 'copyCurl'; readonly exchangeId: string; readonly withSecrets: boolean }" },
    ]);
    assert.deepEqual(filesOf(errors), ['src/shared/protocol.ts'], errors.join('\n'));
  });

  test('a message from the webview without its guard', () => {
    const errors = typeErrors(mainProject, hostEntries, [
      { file: 'src/shared/protocol.ts', find: "  | { readonly type: 'copyCurl'; readonly exchangeId: string }\n", replace: "  | { readonly type: 'copyCurl'; readonly exchangeId: string }\n  | { readonly type: 'copyHttpie'; readonly exchangeId: string }\n" },
    ]);
    assert.ok(filesOf(errors).includes('src/shared/protocol.ts'), errors.join('\n'));
  });

  test('a message from the host without its check and its handling in the webview', () => {
    const edit = { file: 'src/shared/protocol.ts', find: 'ShowMessage | PendingMessage | HistoryMessage;', replace: "ShowMessage | PendingMessage | HistoryMessage | { readonly type: 'clear' };" };
    assert.deepEqual(filesOf(typeErrors(mainProject, ['src/shared/protocol.ts'], [edit])), ['src/shared/protocol.ts']);
    assert.deepEqual(filesOf(typeErrors(webviewProject, webviewEntries, [edit])), ['src/shared/protocol.ts', 'src/webview/main.ts']);
  });

  test('a kind of fix without its guard and its action in the editor', () => {
    const errors = typeErrors(mainProject, hostEntries, [
      { file: 'src/core/model/exchange.ts', find: "  | { readonly kind: 'remove-header'; readonly name: string };", replace: "  | { readonly kind: 'remove-header'; readonly name: string }\n  | { readonly kind: 'set-variable'; readonly name: string };" },
    ]);
    assert.deepEqual(filesOf(errors), ['src/core/session/stateShape.ts', 'src/shared/protocol.ts', 'src/vscode/findingActions.ts'], errors.join('\n'));
  });

  test('a tab id without its tab module', () => {
    const errors = typeErrors(webviewProject, webviewEntries, [{ file: 'src/shared/protocol.ts', find: "'session', 'tests'] as const", replace: "'session', 'tests', 'timeline'] as const" }]);
    assert.deepEqual(filesOf(errors), ['src/webview/tabs/registry.ts'], errors.join('\n'));
  });

  test('a finding id the doctor does not know', () => {
    const errors = typeErrors(mainProject, hostEntries, [{ file: 'src/core/doctor/rules/session.ts', find: "id: 'remember-me-rejected',", replace: "id: 'remember-me-refused'," }]);
    assert.deepEqual(filesOf(errors), ['src/core/doctor/rules/session.ts'], errors.join('\n'));
  });
});
