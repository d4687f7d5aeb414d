import * as vscode from 'vscode';
import type { Exchange, Finding, FixAction } from '../core/model/exchange';
import { isYamlRequestFile } from '../core/parse';
import { applyYamlFix } from '../core/parse/yamlEdit';
import type { SessionRegistry } from '../core/session';
import type { RequestDocuments } from './requestDocuments';
import type { RequestSender } from './requestSender';

/** Fixes that edit the request file: on a YAML request file they edit YAML, not `.http` lines. */
const yamlEditable: ReadonlySet<FixAction['kind']> = new Set(['add-header', 'remove-header', 'remove-directive']);

/**
 * Carries out a 401/403 finding's fix: re-run the login request or this one, add or remove a header, switch
 * to the host the session cookie belongs to, clear a stale cookie, or remove a directive.
 */
export class FindingActions {
  constructor(
    private readonly documents: RequestDocuments,
    private readonly sender: RequestSender,
    private readonly registry: SessionRegistry,
  ) {}

  async run(finding: Finding, exchange: Exchange): Promise<void> {
    const action = finding.fix?.action;
    if (!action) return;
    const source = exchange.request.source;
    const document = source ? await vscode.workspace.openTextDocument(vscode.Uri.file(source.file)) : undefined;
    const template = document && source ? this.documents.requestAt(document, source.line) : undefined;
    if (document && template && isYamlRequestFile(document.fileName) && yamlEditable.has(action.kind)) {
      const edited = applyYamlFix(document.getText(), template.requestLineRange.startLine, action);
      if (edited === undefined) {
        void vscode.window.showWarningMessage(`HTTP Session: could not apply "${finding.fix?.title}" to ${vscode.workspace.asRelativePath(document.uri)}; change the request by hand.`);
        return;
      }
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      await this.edit(document, (edit) => edit.replace(document.uri, whole, edited));
      return;
    }
    switch (action.kind) {
      case 'rerun-request': {
        const login = document && this.documents.parse(document).requests.find((r) => r.name === action.requestName);
        if (!document || !login) {
          void vscode.window.showWarningMessage(`HTTP Session: no request named '${action.requestName}' in ${source ? vscode.workspace.asRelativePath(source.file) : 'this file'}.`);
          return;
        }
        await this.sender.sendAt(document.uri, login.requestLineRange.startLine);
        return;
      }
      case 'resend':
        if (!document || !template) return;
        await this.sender.sendAt(document.uri, template.requestLineRange.startLine);
        return;
      case 'clear-cookie':
        await this.registry.get(exchange.sessionName).deleteCookie(action.name, action.domain, action.path);
        void vscode.window.showInformationMessage(`HTTP Session: deleted cookie ${action.name} (${action.domain}${action.path}).`);
        return;
      case 'add-header': {
        if (!document || !template) return;
        const after = template.headers.at(-1)?.range.endLine ?? template.requestLineRange.endLine;
        await this.edit(document, (edit) => edit.insert(document.uri, new vscode.Position(after + 1, 0), `${action.name}: ${action.value}\n`));
        return;
      }
      case 'remove-directive': {
        if (!document || !template) return;
        for (let line = template.range.startLine; line < template.requestLineRange.startLine; line++) {
          if (new RegExp(`^\\s*(#|//)\\s*@${action.directive}\\b`).test(document.lineAt(line).text)) {
            await this.edit(document, (edit) => edit.delete(document.uri, document.lineAt(line).rangeIncludingLineBreak));
            return;
          }
        }
        return;
      }
      case 'remove-header': {
        if (!document || !template) return;
        const lines = template.headers.filter((h) => h.name.toLowerCase() === action.name.toLowerCase()).map((h) => h.range);
        await this.edit(document, (edit) => {
          for (const range of lines) {
            edit.delete(document.uri, new vscode.Range(range.startLine, 0, range.endLine + 1, 0));
          }
        });
        return;
      }
      case 'switch-host': {
        const answer = await vscode.window.showInformationMessage(
          `The session cookie belongs to ${new URL(action.url).host}. Send to ${action.url} instead? Change the request's host (or {{host}}) to keep using it.`,
          'Copy URL',
        );
        if (answer) await vscode.env.clipboard.writeText(action.url);
        return;
      }
      default: {
        // A new kind of fix fails type-checking here until it has a case.
        const unhandled: never = action;
        throw new Error(`no handler for fix ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async edit(document: vscode.TextDocument, build: (edit: vscode.WorkspaceEdit) => void): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    build(edit);
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(document);
  }
}
