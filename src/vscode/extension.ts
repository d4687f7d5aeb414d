import * as vscode from 'vscode';
import { systemClock } from '../core/ports';
import type { Exchange } from '../core/model/exchange';
import type { RunOutcome } from '../core/run/runRequest';
import { SessionRegistry } from '../core/session';
import { registerCookieCommands } from './cookieCommands';
import { registerCurlImportCommand } from './curlImportCommand';
import { registerPythonExportCommands } from './pythonExportCommands';
import { CookiesTreeProvider } from './cookiesView';
import { EditorAssist } from './editorAssist';
import { EnvironmentService } from './environments';
import { openLoginExample } from './exampleDocument';
import { FindingActions } from './findingActions';
import { RequestCodeLensProvider, RequestFoldingProvider } from './languageFeatures';
import { createLogChannel } from './logChannel';
import { ResponsePanelHost } from './panel/responsePanel';
import { isRequestDocument, RequestDocuments, requestDocumentSelector } from './requestDocuments';
import { RequestSender, type ExchangeView } from './requestSender';
import { readSessionDefaults } from './settings';
import { SecretStorageTokenVault } from './secretTokenVault';
import { SessionStatusBar } from './statusBar';
import { registerTokenCommands } from './tokenCommands';
import { TestExplorer } from './testExplorer';
import { workspaceFileReader } from './workspaceFileReader';
import { WorkspaceStateStorage } from './workspaceStateStorage';

/** What `activate` returns: the extension-host tests (and other extensions) drive the extension through it. */
export interface HttpSessionApi {
  readonly registry: SessionRegistry;
  readonly sender: RequestSender;
  readonly environments: EnvironmentService;
  readonly editorAssist: EditorAssist;
  readonly cookiesView: CookiesTreeProvider;
  /** Where the sessions' OAuth2 tokens are kept (SecretStorage); tests read it to see what is kept. */
  readonly tokenVault: SecretStorageTokenVault;
  readonly panel: ResponsePanelHost;
  readonly testExplorer: TestExplorer;
  /** Carries out a finding's fix, as the panel's fix button does. */
  readonly findingActions: FindingActions;
  /** Milliseconds `activate` took. */
  readonly activationMs: number;
  /** Saves the sessions now (they are also saved shortly after every change, and on deactivate). */
  flush(): Promise<void>;
  /** A fresh registry restored from what workspaceState holds now: what the next activation will see. */
  restoreStored(): Promise<{ registry: SessionRegistry; problem?: string }>;
  /** Everything this extension keeps in workspaceState, by key (tests check what is stored). */
  storedState(): Readonly<Record<string, unknown>>;
}

const saveDelayMs = 300;
/** Set by activate: deactivate must await the last save, and VS Code gives it no context. */
let saveOnDeactivate: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<HttpSessionApi> {
  const started = performance.now();
  const { channel, logger } = createLogChannel();
  const settings = readSessionDefaults();
  for (const problem of settings.problems) logger.warn(problem);
  // Read once and on change: the settings include TLS files, not to be re-read per tree item.
  let defaults = settings.defaults;

  const storage = new WorkspaceStateStorage(context.workspaceState);
  // The OAuth2 sign-in page opens in the system browser; the code comes back to the core's loopback listener.
  const authorizationPrompt = {
    openAuthorizationUrl: async (url: string, { configName, userCode }: { configName: string; userCode?: string }) => {
      if (userCode) void vscode.window.showInformationMessage(`HTTP Session: confirm the code ${userCode} in the browser to sign in for '${configName}'.`);
      if (!(await vscode.env.openExternal(vscode.Uri.parse(url)))) throw new Error(`auth configuration '${configName}': the browser did not open ${url}`);
    },
  };
  const workspaceId = (vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? 'no folder';
  const tokenVault = new SecretStorageTokenVault(context.secrets, workspaceId);
  const { registry, problem } = await SessionRegistry.restore(storage, { defaults, logger, clock: systemClock, authorizationPrompt, tokenVault });
  if (problem) {
    logger.warn(problem);
    void vscode.window.showWarningMessage(`HTTP Session: ${problem}`);
  }

  let saveTimer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    await Promise.all([registry.save(), ...registry.sessions.map((session) => session.tokensSettled())]);
  };
  saveOnDeactivate = flush;

  const documents = new RequestDocuments();
  const environments = new EnvironmentService(context.workspaceState, workspaceFileReader);
  const editorAssist = new EditorAssist(documents, registry, environments, systemClock);
  // The panel and the sender need each other (re-send, fixes): the panel's handlers reach them when called.
  const panel = new ResponsePanelHost(
    context,
    {
      resend: (_id, exchange) => {
        const source = exchange.request.source;
        if (source) void sender.sendAt(vscode.Uri.file(source.file), source.line);
      },
      jumpTo: async (source) => {
        const editor = await vscode.window.showTextDocument(vscode.Uri.file(source.file), { viewColumn: vscode.ViewColumn.One });
        const position = new vscode.Position(source.line, 0);
        editor.selection = new vscode.Selection(position, position);
        editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      },
      copyAsPython: async (source) => {
        await vscode.commands.executeCommand('httpSession.copyAsPython', vscode.Uri.file(source.file), source.line);
      },
      runFix: (finding, _id, exchange) => findingActions.run(finding, exchange),
    },
    {
      log: (message) => logger.warn(message),
      storable: (exchange, maxBodyBytes) => registry.get(exchange.sessionName).storableExchange(exchange, maxBodyBytes),
    },
  );
  const view: ExchangeView = {
    pending: (request) => panel.showPending(`${request.method} ${request.url}`, request),
    show: (exchange) => {
      const session = registry.get(exchange.sessionName);
      panel.show(exchange, session.lifecycles(), { jarCookies: session.listCookies(), tokenEvents: session.tokenTimeline() });
      showFindingsOnRequestLine(editorAssist, exchange);
    },
  };
  const sender = new RequestSender(documents, registry, environments, view, systemClock);
  const findingActions = new FindingActions(documents, sender, registry);
  const cookiesView = new CookiesTreeProvider(registry, () => defaults.sessionCookieNames ?? []);
  const testExplorer = new TestExplorer(documents, sender);

  const reloadDefaults = (): void => {
    const next = readSessionDefaults();
    for (const p of next.problems) logger.warn(p);
    defaults = next.defaults;
    registry.updateDefaults(defaults);
    cookiesView.refresh();
  };

  context.subscriptions.push(
    channel,
    panel,
    documents,
    environments,
    sender,
    editorAssist,
    cookiesView,
    testExplorer,
    registry,
    { dispose: () => clearTimeout(saveTimer) },
    registry.onDidChange(() => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void flush().catch((error: unknown) => logger.error(`Saving the session failed: ${String(error)}`)), saveDelayMs);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('httpSession') || e.affectsConfiguration('http.proxy')) reloadDefaults();
    }),
    // Granting trust brings in the workspace's values of the settings package.json restricts.
    vscode.workspace.onDidGrantWorkspaceTrust(reloadDefaults),
    vscode.languages.registerCodeLensProvider(requestDocumentSelector, new RequestCodeLensProvider(documents)),
    vscode.languages.registerFoldingRangeProvider(requestDocumentSelector, new RequestFoldingProvider(documents)),
    vscode.languages.registerHoverProvider(requestDocumentSelector, editorAssist),
    vscode.languages.registerCompletionItemProvider(requestDocumentSelector, editorAssist, '{'),
    new SessionStatusBar(registry, environments),
    vscode.window.createTreeView('httpSession.cookies', { treeDataProvider: cookiesView, showCollapseAll: true }),
    ...registerCookieCommands(registry, () => cookiesView.refresh()),
    ...registerTokenCommands(registry),
    ...registerPythonExportCommands(documents, environments),
    registerCurlImportCommand(),
    vscode.commands.registerCommand('httpSession.sendRequest', (uri?: vscode.Uri, line?: number): Promise<RunOutcome | undefined> | undefined => {
      const editor = vscode.window.activeTextEditor;
      const target = uri ?? editor?.document.uri;
      if (!target) return undefined;
      return sender.sendAt(target, line ?? (editor && editor.document.uri.toString() === target.toString() ? editor.selection.active.line : 0));
    }),
    vscode.commands.registerCommand('httpSession.sendAll', (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      return target ? sender.sendAll(target) : undefined;
    }),
    vscode.commands.registerCommand('httpSession.cancel', () => sender.cancelAll()),
    vscode.commands.registerCommand('httpSession.resendLast', () => sender.resendLast()),
    vscode.commands.registerCommand('httpSession.selectEnvironment', async (name?: string) => {
      if (typeof name === 'string') return environments.select(name || undefined);
      const document = vscode.window.activeTextEditor?.document;
      return environments.pick(document && isRequestDocument(document) ? document.uri.fsPath : undefined);
    }),
    vscode.commands.registerCommand('httpSession.clearCookies', async () => {
      for (const session of registry.sessions) await session.clearCookies();
      void vscode.window.showInformationMessage('HTTP Session: cleared the cookies and tokens of every session in this workspace.');
    }),
    vscode.commands.registerCommand('httpSession.showLog', () => channel.show(true)),
    vscode.commands.registerCommand('httpSession.openExample', openLoginExample),
  );

  const activationMs = performance.now() - started;
  logger.info(`HTTP Session activated in ${activationMs.toFixed(1)} ms`);
  const restoreStored = () => SessionRegistry.restore(storage, { defaults, clock: systemClock, tokenVault });
  const storedState = () => Object.fromEntries(context.workspaceState.keys().map((key) => [key, context.workspaceState.get(key)]));
  return { registry, sender, environments, editorAssist, cookiesView, tokenVault, panel, testExplorer, findingActions, activationMs, flush, restoreStored, storedState };
}

/** The doctor's findings go to the Problems panel on the request line, until the request is sent again. */
function showFindingsOnRequestLine(editorAssist: EditorAssist, exchange: Exchange): void {
  const source = exchange.request.source;
  if (!source) return;
  const line = new vscode.Range(source.line, 0, source.line, Number.MAX_SAFE_INTEGER);
  editorAssist.setExtra(
    vscode.Uri.file(source.file),
    source.line,
    exchange.findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(line, `${exchange.response?.status ?? ''} — ${finding.message}${finding.fix ? ` Fix: ${finding.fix.title}` : ''}`, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'HTTP Session';
      diagnostic.code = finding.id;
      return diagnostic;
    }),
  );
}

export async function deactivate(): Promise<void> {
  await saveOnDeactivate?.();
  saveOnDeactivate = undefined;
}
