import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { Diagnostic as CoreDiagnostic } from '../core/model/source';
import type { Clock } from '../core/ports';
import { sessionNameOf, variableContextFor } from '../core/run/runRequest';
import { defaultSessionName, type SessionRegistry } from '../core/session';
import { checkVariables, describeVariable, listVariableNames } from '../core/vars/editorSupport';
import type { VariableContext } from '../core/vars/variableContext';
import type { EnvironmentService } from './environments';
import { toRange } from './languageFeatures';
import { isRequestDocument, type RequestDocuments } from './requestDocuments';
import { restrictionFor } from './restrictedMode';
import { workspaceFileReader } from './workspaceFileReader';
import { readCsrfFieldName } from './settings';

const severities: Record<CoreDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeDiagnostic(diagnostic: CoreDiagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toRange(diagnostic.range), diagnostic.message, severities[diagnostic.severity]);
  result.source = 'HTTP Session';
  if (diagnostic.code) result.code = diagnostic.code;
  return result;
}

/**
 * Problems panel (parser + variables, debounced while typing, cached per document version through
 * RequestDocuments), hover with a variable's resolved value (secrets masked), and `{{` completion.
 */
export class EditorAssist implements vscode.Disposable, vscode.HoverProvider, vscode.CompletionItemProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('httpSession');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly checked = new Map<string, number>();
  private readonly disposables = new DisposableStore();
  /** Findings of the last response of each request, by document and request line (set by the extension). */
  private readonly extra = new Map<string, Map<number, vscode.Diagnostic[]>>();

  constructor(
    private readonly documents: RequestDocuments,
    private readonly registry: SessionRegistry,
    private readonly environments: EnvironmentService,
    private readonly clock: Clock,
    private readonly delayMs = 250,
  ) {
    this.disposables.addAll(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, this.delayMs)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.checked.delete(d.uri.toString());
      }),
      environments.onDidChange(() => this.recheckAll()),
    );
    this.recheckAll();
  }

  /** Resolves when the document's diagnostics reflect its current version (tests await this). */
  async refresh(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    if (!isRequestDocument(document)) return [];
    const key = document.uri.toString();
    const version = document.version;
    const file = this.documents.parse(document);
    const context = await this.contextFor(document, undefined);
    if (document.version !== version) return this.collection.get(document.uri) ?? [];
    const diagnostics = [...file.diagnostics, ...checkVariables(file, context)].map(toVscodeDiagnostic);
    const findings = [...(this.extra.get(key)?.values() ?? [])].flat();
    this.collection.set(document.uri, [...diagnostics, ...findings]);
    this.checked.set(key, version);
    return this.collection.get(document.uri) ?? [];
  }

  /** Replaces the diagnostics that do not come from the text (the 401 doctor's findings) of one request line. */
  setExtra(uri: vscode.Uri, line: number, diagnostics: vscode.Diagnostic[]): void {
    const byLine = this.extra.get(uri.toString()) ?? new Map<number, vscode.Diagnostic[]>();
    byLine.set(line, diagnostics);
    this.extra.set(uri.toString(), byLine);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document) void this.refresh(document);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const file = this.documents.parse(document);
    const owner = file.requests.find((r) => r.range.startLine <= position.line && position.line <= r.range.endLine);
    const references = owner ? owner.variableReferences : file.fileVariables.flatMap((v) => v.variableReferences);
    const reference = references.find((r) => toRange(r.range).contains(position));
    if (!reference) return undefined;
    const description = await describeVariable(reference.expression, file, await this.contextFor(document, owner && sessionNameOf(owner)));
    const markdown = new vscode.MarkdownString();
    markdown.appendCodeblock(reference.expression, 'text');
    if (description.value !== undefined) {
      markdown.appendMarkdown(`**${description.masked ? 'Value (secret, masked)' : 'Value'}:** `);
      markdown.appendText(description.value);
    } else {
      markdown.appendText(description.error ?? 'No value');
    }
    if (description.source) markdown.appendMarkdown(`\n\n*From:* ${description.source}`);
    if (description.origin) markdown.appendText(` (${vscode.workspace.asRelativePath(description.origin)})`);
    return new vscode.Hover(markdown, toRange(reference.range));
  }

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const open = before.lastIndexOf('{{');
    if (open < 0 || before.indexOf('}}', open) >= 0) return undefined;
    const file = this.documents.parse(document);
    const names = listVariableNames(file, await this.contextFor(document, undefined));
    const replace = new vscode.Range(position.line, open + 2, position.line, position.character);
    return names.map((n) => {
      const item = new vscode.CompletionItem(n.name, n.source === 'dynamic' ? vscode.CompletionItemKind.Function : vscode.CompletionItemKind.Variable);
      item.detail = n.source === 'private' ? `${n.source} (value hidden)` : n.source;
      if (n.detail && n.source !== 'private') item.documentation = n.detail;
      item.range = replace;
      return item;
    });
  }

  private contextFor(document: vscode.TextDocument, sessionName: string | undefined): Promise<VariableContext> {
    return this.environments.forFile(document.uri.fsPath).then((environments) =>
      variableContextFor(document.uri.fsPath, sessionName ?? defaultSessionName, {
        registry: this.registry,
        reader: workspaceFileReader,
        clock: this.clock,
        processEnv: process.env,
        restriction: restrictionFor(document.uri),
        environmentName: this.environments.selected,
        environments,
        csrfFieldName: readCsrfFieldName(),
      }),
    );
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isRequestDocument(document)) return;
    const key = document.uri.toString();
    if (this.checked.get(key) === document.version) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.refresh(document), delay));
  }

  private recheckAll(): void {
    this.checked.clear();
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.disposables.dispose();
  }
}
