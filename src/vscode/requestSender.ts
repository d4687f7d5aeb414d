import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { Exchange, HttpRequest } from '../core/model/exchange';
import type { RequestTemplate } from '../core/model/request';
import type { Clock } from '../core/ports';
import { prepareRequest, type RunContext, type RunOutcome } from '../core/run/runRequest';
import type { SessionRegistry } from '../core/session';
import type { EnvironmentService } from './environments';
import type { RequestDocuments } from './requestDocuments';
import { restrictionFor, SendConsent } from './restrictedMode';
import { readCsrfFieldName } from './settings';
import { workspaceFileReader } from './workspaceFileReader';

/** Where a send shows: pending while it runs, then its exchange (the response panel). */
export interface ExchangeView {
  pending(request: HttpRequest): void;
  show(exchange: Exchange): void;
}

/**
 * Sends requests from documents: one running send per request (a new send of the same request cancels
 * the previous one), a status-bar spinner while it runs; in an untrusted workspace, restricted resolution
 * and a prompt naming the target and the files read.
 */
export class RequestSender implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly sent = new vscode.EventEmitter<RunOutcome>();
  /** Fires after every send, refused or not — the extension-host tests await it. */
  readonly onDidSend = this.sent.event;
  private last: { uri: vscode.Uri; line: number } | undefined;
  private readonly consent = new SendConsent();

  constructor(
    private readonly documents: RequestDocuments,
    private readonly registry: SessionRegistry,
    private readonly environments: EnvironmentService,
    private readonly view: ExchangeView,
    private readonly clock: Clock,
  ) {}

  /** Sends the request at (or above) `line`. Undefined when nothing was sent (no request there, or the user declined). */
  async sendAt(uri: vscode.Uri, line: number): Promise<RunOutcome | undefined> {
    const document = await vscode.workspace.openTextDocument(uri);
    const template = this.documents.requestAt(document, line);
    if (!template) {
      void vscode.window.showWarningMessage(`HTTP Session: no request at ${vscode.workspace.asRelativePath(uri)}:${line + 1}.`);
      return undefined;
    }
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `$(sync~spin) ${template.method} ${template.name ?? template.url}` },
      () => this.send(document, template),
    );
    if (outcome) this.last = { uri, line: template.requestLineRange.startLine };
    return outcome;
  }

  /**
   * Sends every request of the document in order; stops at the first refused one or on cancel. Cancelling
   * (the notification's button, or `cancel`) aborts this batch only, not other sends of the window.
   */
  async sendAll(uri: vscode.Uri, cancel?: vscode.CancellationToken): Promise<RunOutcome[]> {
    const document = await vscode.workspace.openTextDocument(uri);
    const { requests } = this.documents.parse(document);
    if (requests.length === 0) return [];
    const outcomes: RunOutcome[] = [];
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `HTTP Session: sending ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
      async (progress, token) => {
        const batch = new AbortController();
        const subscriptions = new DisposableStore();
        for (const source of [token, cancel]) if (source) subscriptions.add(source.onCancellationRequested(() => batch.abort()));
        try {
          for (const [index, template] of requests.entries()) {
            if (batch.signal.aborted) break;
            progress.report({ message: `${index + 1}/${requests.length} ${template.name ?? template.url}`, increment: 100 / requests.length });
            const outcome = await this.send(document, template, batch.signal);
            if (!outcome) break;
            outcomes.push(outcome);
            if (outcome.kind === 'refused') break;
          }
        } finally {
          subscriptions.dispose();
        }
      },
    );
    return outcomes;
  }

  async resendLast(): Promise<RunOutcome | undefined> {
    if (!this.last) {
      void vscode.window.showInformationMessage('HTTP Session: nothing has been sent yet in this window.');
      return undefined;
    }
    return this.sendAt(this.last.uri, this.last.line);
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** `batch`: the Send All this send belongs to; its cancel aborts this send too. Undefined: the user declined it. */
  private async send(document: vscode.TextDocument, template: RequestTemplate, batch?: AbortSignal): Promise<RunOutcome | undefined> {
    const key = `${document.uri.toString()}#${template.requestLineRange.startLine}`;
    this.running.get(key)?.abort();
    const controller = new AbortController();
    const stopWithBatch = () => controller.abort();
    batch?.addEventListener('abort', stopWithBatch, { once: true });
    this.running.set(key, controller);
    void vscode.commands.executeCommand('setContext', 'httpSession.sending', true);
    try {
      const file = this.documents.parse(document);
      // The signal also stops a token acquisition that waits for the user (a sign-in, a device code).
      const prepared = await prepareRequest(template, file, document.uri.fsPath, await this.runContext(document.uri), controller.signal);
      if (prepared.kind === 'refused') {
        const where = `${vscode.workspace.asRelativePath(document.uri)}:${prepared.diagnostics[0].range.startLine + 1}`;
        // Escape on a `# @prompt` is the user's choice, like a cancel: no error.
        if (controller.signal.aborted || prepared.diagnostics[0].code === 'prompt-unanswered') void vscode.window.showInformationMessage(`HTTP Session: cancelled — ${where}: ${prepared.diagnostics[0].message}`);
        else void vscode.window.showErrorMessage(`HTTP Session: not sent — ${where}: ${prepared.diagnostics[0].message}`);
        this.sent.fire(prepared);
        return prepared;
      }
      if (!(await this.consent.confirm(prepared.request, prepared.filesRead))) return undefined;
      const outcome = await prepared.send({ signal: controller.signal, onWillSend: (request) => this.view.pending(request) });
      this.view.show(outcome.exchange);
      this.sent.fire(outcome);
      return outcome;
    } finally {
      batch?.removeEventListener('abort', stopWithBatch);
      if (this.running.get(key) === controller) this.running.delete(key);
      if (this.running.size === 0) void vscode.commands.executeCommand('setContext', 'httpSession.sending', false);
    }
  }

  private async runContext(requestFile: vscode.Uri): Promise<RunContext> {
    return {
      registry: this.registry,
      reader: workspaceFileReader,
      clock: this.clock,
      processEnv: process.env,
      restriction: restrictionFor(requestFile),
      environmentName: this.environments.selected,
      environments: await this.environments.forFile(requestFile.fsPath),
      // {{name.response.csrf}} reads the same form field the doctor looks for.
      csrfFieldName: readCsrfFieldName(),
      askPrompt: ({ name, description, secret }, signal) => askInInputBox(name, description, secret, signal),
    };
  }

  dispose(): void {
    this.cancelAll();
    this.sent.dispose();
  }
}

/** `# @prompt`: an input box that stays open when focus moves (the user may look the value up), closed when the send is cancelled. */
async function askInInputBox(name: string, description: string | undefined, secret: boolean, signal?: AbortSignal): Promise<string | undefined> {
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = (): void => cancel.cancel();
  signal?.addEventListener('abort', onAbort);
  try {
    return await vscode.window.showInputBox({ title: `{{${name}}}`, prompt: description ?? `Value of ${name} for this request`, password: secret, ignoreFocusOut: true }, cancel.token);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}
