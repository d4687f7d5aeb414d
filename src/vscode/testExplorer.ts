import * as vscode from 'vscode';
import type { RunOutcome } from '../core/run/runRequest';
import { isRequestDocument, type RequestDocuments } from './requestDocuments';
import type { RequestSender } from './requestSender';
import { mayHaveTests, requestResult, requestsWithTests, type ItemResult, type RequestResult } from './testExplorerModel';

const requestFileGlob = '**/*.{http,rest,http.yaml,http.yml}';

/**
 * VS Code's Test Explorer for request files: file → request → `client.test` (a request level because
 * files repeat test names like "status is 200" per request, and a request is what one run sends).
 * Files are found by a textual check; requests appear as files are parsed, tests as requests run.
 * Results come from every send — the Run profile's and the editor's (RequestSender.onDidSend).
 */
export class TestExplorer implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('httpSession.tests', 'HTTP Session');
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Each item's latest result, by item id: what the Test Explorer shows (the extension-host tests read it). */
  readonly results = new Map<string, ItemResult>();
  private readonly ended = new vscode.EventEmitter<void>();
  /** Fires when a run has ended, the profile's or an editor send's — the extension-host tests await it. */
  readonly onDidEndRun = this.ended.event;
  /** The profile's run while it sends: the sends' results go there instead of a run of their own. */
  private active: { run: vscode.TestRun; reported: Set<vscode.TestItem> } | undefined;

  constructor(
    private readonly documents: RequestDocuments,
    private readonly sender: RequestSender,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Send', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.subscriptions.push(
      this.controller,
      this.ended,
      sender.onDidSend((outcome) => this.record(outcome)),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isRequestDocument(document)) this.syncFile(document);
      }),
      vscode.workspace.onDidDeleteFiles(({ files }) => {
        for (const uri of files) this.controller.items.delete(uri.toString());
      }),
    );
  }

  /** Finds the workspace's request files with tests; reads each file's text first, parses only those that may have tests. */
  async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(requestFileGlob, '**/node_modules/**');
    // allSettled: a file that cannot be read (deleted meanwhile) does not keep the others out.
    await Promise.allSettled(
      files.map(async (uri) => {
        if (mayHaveTests(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)))) this.syncFile(await vscode.workspace.openTextDocument(uri));
        else this.controller.items.delete(uri.toString());
      }),
    );
  }

  /** Adds, refreshes or removes the document's file item (one child per request with tests), as its text has tests or not. */
  private syncFile(document: vscode.TextDocument): vscode.TestItem | undefined {
    const id = document.uri.toString();
    const requests = requestsWithTests(this.documents.parse(document));
    if (requests.length === 0) {
      this.controller.items.delete(id);
      return undefined;
    }
    const fileItem = this.controller.items.get(id) ?? this.controller.createTestItem(id, vscode.workspace.asRelativePath(document.uri), document.uri);
    this.controller.items.add(fileItem);
    // A request keeps its test items until its next result: they are known only once it ran.
    fileItem.children.replace(
      requests.map(({ line, label }) => {
        const child = fileItem.children.get(`${id}#${line}`) ?? this.controller.createTestItem(`${id}#${line}`, label, document.uri);
        child.label = label;
        child.range = new vscode.Range(line, 0, line, 0);
        return child;
      }),
    );
    return fileItem;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    this.active = { run, reported: new Set() };
    try {
      for (const [, item] of request.include ? request.include.entries() : this.controller.items) {
        if (token.isCancellationRequested) break;
        await this.runItem(run, item, token);
      }
    } finally {
      this.active = undefined;
      run.end();
      this.ended.fire();
    }
  }

  /** A file item sends the whole file (later requests may need what earlier ones set); a request or test item sends its request. */
  private async runItem(run: vscode.TestRun, item: vscode.TestItem, token: vscode.CancellationToken): Promise<void> {
    const target = item.parent?.parent ? item.parent : item;
    if (!target.uri) return;
    if (target.parent) {
      run.started(target);
      const outcome = await this.sender.sendAt(target.uri, target.range?.start.line ?? 0);
      this.erroredUnlessReported(run, [target], outcome);
      return;
    }
    target.children.forEach((child) => run.started(child));
    const outcomes = await this.sender.sendAll(target.uri, token);
    const requests: vscode.TestItem[] = [];
    target.children.forEach((child) => requests.push(child));
    this.erroredUnlessReported(run, requests, outcomes.at(-1));
  }

  /** Requests of the run without a result were not sent: refused (a diagnostic says why), declined or cancelled. */
  private erroredUnlessReported(run: vscode.TestRun, items: readonly vscode.TestItem[], outcome: RunOutcome | undefined): void {
    const reason = outcome?.kind === 'refused' ? `Not sent: ${outcome.diagnostics[0]?.message ?? 'refused'}` : 'Not sent.';
    for (const item of items) if (!this.active?.reported.has(item)) this.setResult(run, item, { state: 'errored', message: reason });
  }

  /** A sent request's results, into the profile's run or a run of their own (a send from the editor). */
  private record(outcome: RunOutcome): void {
    const source = outcome.kind === 'sent' ? outcome.exchange.request.source : undefined;
    if (outcome.kind !== 'sent' || !source) return;
    // The sender has just opened the document: found synchronously, so a profile run gets the result before it ends.
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.fsPath === source.file);
    const template = document && this.documents.requestAt(document, source.line);
    const fileItem = document && (this.controller.items.get(document.uri.toString()) ?? this.syncFile(document));
    const requestItem = template && fileItem?.children.get(`${fileItem.id}#${template.requestLineRange.startLine}`);
    if (!requestItem) return;
    const run = this.active?.run ?? this.controller.createTestRun(new vscode.TestRunRequest([requestItem]), undefined, false);
    this.report(run, requestItem, requestResult(outcome.exchange));
    this.active?.reported.add(requestItem);
    if (this.active) return;
    run.end();
    this.ended.fire();
  }

  private report(run: vscode.TestRun, requestItem: vscode.TestItem, result: RequestResult): void {
    const tests = result.tests.map(({ name, result: testResult }) => {
      const id = `${requestItem.id}/${name}`;
      const item = requestItem.children.get(id) ?? this.controller.createTestItem(id, name, requestItem.uri);
      item.range = requestItem.range;
      return { item, result: testResult };
    });
    requestItem.children.replace(tests.map(({ item }) => item));
    for (const { item, result: testResult } of tests) this.setResult(run, item, testResult);
    this.setResult(run, requestItem, result.request);
  }

  private setResult(run: vscode.TestRun, item: vscode.TestItem, result: ItemResult): void {
    this.results.set(item.id, result);
    if (result.state === 'passed') return run.passed(item);
    // On the request line: the editor shows the message there.
    const message = new vscode.TestMessage(result.message);
    if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
    if (result.state === 'failed') run.failed(item, message);
    else run.errored(item, message);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
