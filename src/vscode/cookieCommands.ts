import * as vscode from 'vscode';
import { detectCookieFileFormat, formatCookieFile, parseCookieFile, parseCookieHeader, type CookieFileFormat, type ParsedCookieFile } from '../core/cookies/cookieFiles';
import type { CookieRecord } from '../core/model/exchange';
import { defaultSessionName, type SessionRegistry } from '../core/session';
import type { CookieNode } from './cookiesView';

/** Arguments the import command takes when called programmatically (tests, other extensions). */
export interface CookieImportArgs {
  readonly session?: string;
  readonly file?: vscode.Uri;
  readonly header?: string;
  readonly url?: string;
}

export interface CookieExportArgs {
  readonly session?: string;
  readonly format: CookieFileFormat;
  readonly file: vscode.Uri;
}

/** A cookie value the jar will accept and a server can read: no separators or control characters. */
export function cookieValueProblem(value: string): string | undefined {
  if (/[;\u0000-\u001f\u007f]/.test(value)) return 'A cookie value cannot contain ";" or control characters.';
  return undefined;
}

/** Registers the Cookies view's commands; each acts on the node it was invoked on. */
export function registerCookieCommands(registry: SessionRegistry, refresh: () => void): vscode.Disposable[] {
  const sessionOf = (node: CookieNode | undefined) => registry.get(node?.session ?? defaultSessionName);
  const cookieOf = (node: CookieNode | undefined): CookieRecord | undefined => (node?.kind === 'cookie' ? node.cookie : undefined);
  const report = (error: unknown) => void vscode.window.showErrorMessage(`HTTP Session: ${error instanceof Error ? error.message : String(error)}`);

  return [
    vscode.commands.registerCommand('httpSession.cookies.refresh', refresh),
    vscode.commands.registerCommand('httpSession.cookies.copyValue', async (node?: CookieNode) => {
      const cookie = cookieOf(node);
      if (cookie) await vscode.env.clipboard.writeText(cookie.value);
    }),
    vscode.commands.registerCommand('httpSession.cookies.copyAsHeader', async (node?: CookieNode) => {
      const session = sessionOf(node);
      const cookies = node?.kind === 'cookie' ? [node.cookie] : session.listCookies().filter((c) => node?.kind !== 'domain' || c.domain === node.domain);
      await vscode.env.clipboard.writeText(`Cookie: ${cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`);
    }),
    vscode.commands.registerCommand('httpSession.cookies.editValue', async (node?: CookieNode, newValue?: string) => {
      const cookie = cookieOf(node);
      if (!cookie) return;
      const value =
        newValue ??
        (await vscode.window.showInputBox({
          title: `Edit cookie ${cookie.name} (${cookie.domain}${cookie.path})`,
          value: cookie.value,
          validateInput: cookieValueProblem,
        }));
      if (value === undefined) return;
      const problem = cookieValueProblem(value);
      if (problem) return report(problem);
      await sessionOf(node).setCookie({ ...cookie, value }).catch(report);
    }),
    vscode.commands.registerCommand('httpSession.cookies.delete', async (node?: CookieNode) => {
      const cookie = cookieOf(node);
      if (cookie) await sessionOf(node).deleteCookie(cookie.name, cookie.domain, cookie.path);
    }),
    vscode.commands.registerCommand('httpSession.cookies.deleteDomain', async (node?: CookieNode) => {
      if (node?.kind === 'domain') await sessionOf(node).clearCookies(node.domain);
    }),
    vscode.commands.registerCommand('httpSession.cookies.clearSession', async (node?: CookieNode) => {
      await sessionOf(node).clearCookies();
    }),
    vscode.commands.registerCommand('httpSession.cookies.add', async (node?: CookieNode) => {
      const url = await vscode.window.showInputBox({
        title: 'Add a cookie (1/2): the URL it is for',
        value: node?.kind === 'domain' ? `http://${node.domain}/` : 'http://localhost:8080/',
        validateInput: (v) => (URL.canParse(v) ? undefined : 'Enter a URL such as http://localhost:8080/'),
      });
      if (!url) return;
      const pair = await vscode.window.showInputBox({
        title: 'Add a cookie (2/2): name=value',
        placeHolder: 'JSESSIONID=…',
        validateInput: (v) => (/^[^=;\s]+=/.test(v) ? cookieValueProblem(v.slice(v.indexOf('=') + 1)) : 'Enter name=value'),
      });
      if (!pair) return;
      return importInto(sessionOf(node).name, parseCookieHeader(pair, url), 'the cookie you entered');
    }),
    vscode.commands.registerCommand('httpSession.cookies.import', async (args?: CookieImportArgs | CookieNode) => {
      const given = args && 'kind' in args ? { session: args.session } : (args ?? {});
      const sessionName = given.session ?? defaultSessionName;
      if (given.header !== undefined) {
        return importInto(sessionName, parseCookieHeader(given.header, given.url ?? ''), 'the Cookie header');
      }
      let file = given.file;
      if (!file) {
        const choice = await vscode.window.showQuickPick(
          [
            { label: 'From a file…', detail: "Netscape cookies.txt (curl -c) or JetBrains' http-client.cookies", id: 'file' },
            { label: 'From a Cookie header…', detail: 'Paste "Cookie: a=1; b=2" and the URL it was sent to', id: 'header' },
          ],
          { title: 'Import cookies' },
        );
        if (!choice) return;
        if (choice.id === 'header') {
          const url = await vscode.window.showInputBox({ title: 'Import a Cookie header (1/2): the URL it was sent to', value: 'http://localhost:8080/', validateInput: (v) => (URL.canParse(v) ? undefined : 'Enter a URL') });
          const header = url && (await vscode.window.showInputBox({ title: 'Import a Cookie header (2/2)', placeHolder: 'Cookie: JSESSIONID=…; XSRF-TOKEN=…' }));
          return url && header ? importInto(sessionName, parseCookieHeader(header, url), 'the Cookie header') : undefined;
        }
        file = (await vscode.window.showOpenDialog({ title: 'Import cookies', canSelectMany: false, openLabel: 'Import' }))?.[0];
        if (!file) return;
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      return importInto(sessionName, parseCookieFile(text, detectCookieFileFormat(text), Date.now()), vscode.workspace.asRelativePath(file));
    }),
    vscode.commands.registerCommand('httpSession.cookies.export', async (args?: CookieExportArgs | CookieNode) => {
      const given = args && 'format' in args ? args : undefined;
      const session = registry.get(given?.session ?? (args && 'kind' in args ? args.session : defaultSessionName));
      const format =
        given?.format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'Netscape cookies.txt', detail: 'Usable with curl -b', format: 'netscape' as const },
              { label: 'JetBrains http-client.cookies', detail: 'For the JetBrains HTTP Client', format: 'jetbrains' as const },
            ],
            { title: 'Export cookies' },
          )
        )?.format;
      if (!format) return;
      const file = given?.file ?? (await vscode.window.showSaveDialog({ title: 'Export cookies', defaultUri: vscode.Uri.file(format === 'netscape' ? 'cookies.txt' : 'http-client.cookies') }));
      if (!file) return;
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(formatCookieFile(session.listCookies(), format)));
    }),
  ];

  /** Adds what parsed, through the jar's own rules; reports every line that was not taken. Nothing already held is lost. */
  async function importInto(sessionName: string, parsed: ParsedCookieFile, from: string): Promise<{ imported: number; problems: string[] }> {
    const { imported, refused } = await registry.get(sessionName).importCookies(parsed.cookies);
    const problems = [
      ...parsed.problems.map((p) => `${from}:${p.line}: ${p.message}`),
      ...refused.map(({ cookie, reason }) => `${from}: ${cookie.name} for ${cookie.domain}: ${reason}`),
    ];
    const summary = `Imported ${imported} cookie${imported === 1 ? '' : 's'} from ${from}.`;
    if (problems.length === 0) void vscode.window.showInformationMessage(summary);
    else void vscode.window.showWarningMessage(`${summary} ${problems.length} line${problems.length === 1 ? ' was' : 's were'} not imported: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '…' : ''}`);
    return { imported, problems };
  }
}
