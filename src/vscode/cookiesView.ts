import * as vscode from 'vscode';
import type { CookieRecord, SessionCookieLifecycle } from '../core/model/exchange';
import { defaultSessionCookieNames, defaultSessionName, type Session, type SessionRegistry } from '../core/session';
import { formatDuration } from '../shared/panel/format';
import { maskSecret } from '../core/secrets';

/** A node of the Cookies view: session → domain → cookie, and beside the domains session → Tokens → token. */
export type CookieNode =
  | { readonly kind: 'session'; readonly session: string }
  | { readonly kind: 'domain'; readonly session: string; readonly domain: string }
  | { readonly kind: 'cookie'; readonly session: string; readonly cookie: CookieRecord }
  | { readonly kind: 'tokens'; readonly session: string }
  | { readonly kind: 'token'; readonly session: string; readonly configName: string };

/** The Cookies view: what each session's jar holds, updated from the sessions' change events. */
export class CookiesTreeProvider implements vscode.TreeDataProvider<CookieNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CookieNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly sessionCookieNames: () => readonly string[],
    private readonly clock: () => number = Date.now,
  ) {
    this.subscription = registry.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: CookieNode): CookieNode[] {
    if (!node) {
      const sessions = this.registry.sessions.filter((s) => s.name === defaultSessionName || s.listCookies().length > 0 || hasTokens(s));
      // With only the default session, skip a level: domains at the top.
      if (sessions.length === 1) return this.sessionChildren(sessions[0]!);
      return sessions.map((s) => ({ kind: 'session', session: s.name }));
    }
    const session = this.registry.get(node.session);
    if (node.kind === 'session') return this.sessionChildren(session);
    if (node.kind === 'tokens') return Object.keys(session.keptTokens()).sort().map((configName) => ({ kind: 'token', session: session.name, configName }));
    if (node.kind === 'domain') {
      return this.liveCookies(session)
        .filter((c) => c.domain === node.domain)
        .sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path))
        .map((cookie) => ({ kind: 'cookie', session: node.session, cookie }));
    }
    return [];
  }

  getTreeItem(node: CookieNode): vscode.TreeItem {
    if (node.kind === 'session') {
      const count = this.liveCookies(this.registry.get(node.session)).length;
      const item = new vscode.TreeItem(node.session === defaultSessionName ? 'Default session' : `Session "${node.session}"`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `session/${node.session}`;
      item.description = `${count} cookie${count === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('account');
      item.contextValue = 'session';
      return item;
    }
    if (node.kind === 'domain') {
      const count = this.liveCookies(this.registry.get(node.session)).filter((c) => c.domain === node.domain).length;
      const item = new vscode.TreeItem(node.domain, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `domain/${node.session}/${node.domain}`;
      item.description = `${count}`;
      item.iconPath = new vscode.ThemeIcon('globe');
      item.contextValue = 'domain';
      return item;
    }
    if (node.kind === 'tokens') {
      const count = Object.keys(this.registry.get(node.session).keptTokens()).length;
      const item = new vscode.TreeItem('Tokens', vscode.TreeItemCollapsibleState.Expanded);
      item.id = `tokens/${node.session}`;
      item.description = `${count}`;
      item.iconPath = new vscode.ThemeIcon('shield');
      item.contextValue = 'tokens';
      return item;
    }
    if (node.kind === 'token') return this.tokenItem(node);
    return this.cookieItem(node);
  }

  /** A token as the tree shows it: masked, with its expiry; the raw value only leaves through Copy Token. */
  private tokenItem(node: Extract<CookieNode, { kind: 'token' }>): vscode.TreeItem {
    const token = this.registry.get(node.session).keptTokens()[node.configName];
    const item = new vscode.TreeItem(node.configName, vscode.TreeItemCollapsibleState.None);
    item.id = `token/${node.session}/${node.configName}`;
    item.contextValue = 'token';
    item.iconPath = new vscode.ThemeIcon('key', new vscode.ThemeColor('charts.blue'));
    if (!token) return item;
    const remaining = token.expiresAt === undefined ? undefined : token.expiresAt - this.clock();
    const expiry = remaining === undefined ? 'no expiry given' : remaining > 0 ? `expires in ${formatDuration(remaining)}` : `expired ${formatDuration(-remaining)} ago`;
    item.description = `${maskSecret(token.accessToken)} · ${expiry}`;
    const lines = [`**OAuth2 token** of auth configuration \`${escapeMarkdown(node.configName)}\``, '', `\`${escapeMarkdown(maskSecret(token.accessToken))}\``, '', `Obtained ${new Date(token.issuedAt).toISOString()}`];
    if (token.scope) lines.push('', `Scope ${escapeMarkdown(token.scope)}`);
    if (token.expiresAt !== undefined) lines.push('', `Expires ${new Date(token.expiresAt).toISOString()} (${expiry})`);
    if (token.refreshToken) lines.push('', 'Has a refresh token');
    item.tooltip = new vscode.MarkdownString(lines.join('\n'));
    item.accessibilityInformation = { label: `OAuth2 token ${node.configName}, ${expiry}` };
    return item;
  }

  private sessionChildren(session: Session): CookieNode[] {
    return [...this.domains(session), ...(hasTokens(session) ? [{ kind: 'tokens', session: session.name } as const] : [])];
  }

  private cookieItem(node: Extract<CookieNode, { kind: 'cookie' }>): vscode.TreeItem {
    const { cookie } = node;
    const now = this.clock();
    const isSessionCookie = this.isSessionCookie(cookie.name);
    const lifecycle = isSessionCookie ? this.lifecycleOf(node.session, cookie) : undefined;
    const item = new vscode.TreeItem(cookie.name, vscode.TreeItemCollapsibleState.None);
    item.id = `cookie/${node.session}/${cookie.domain}/${cookie.path}/${cookie.name}`;
    const expiry = cookie.expires ? `expires in ${formatDuration(Date.parse(cookie.expires) - now)}` : 'session cookie';
    const parts = [maskSecret(cookie.value), cookie.path !== '/' ? `Path=${cookie.path}` : undefined];
    if (lifecycle) {
      if (lifecycle.issuedAt !== undefined) parts.push(`age ${formatAge(now - lifecycle.issuedAt)}`);
      const lastUse = lifecycle.lastSentAt ?? lifecycle.lastSuccessAt;
      if (lastUse !== undefined) parts.push(`idle ${formatAge(now - lastUse)}`);
    } else {
      parts.push(expiry);
    }
    item.description = parts.filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(isSessionCookie ? 'key' : 'symbol-field', isSessionCookie ? new vscode.ThemeColor('charts.yellow') : undefined);
    item.contextValue = isSessionCookie ? 'cookie sessionCookie' : 'cookie';
    item.tooltip = this.tooltip(cookie, expiry, lifecycle, now);
    item.accessibilityInformation = { label: `Cookie ${cookie.name} for ${cookie.domain}${cookie.path}, ${expiry}` };
    return item;
  }

  private tooltip(cookie: CookieRecord, expiry: string, lifecycle: SessionCookieLifecycle | undefined, now: number): vscode.MarkdownString {
    const flags = [cookie.httpOnly && 'HttpOnly', cookie.secure && 'Secure', cookie.sameSite && `SameSite=${cookie.sameSite}`, cookie.hostOnly ? 'host-only' : `subdomains of ${cookie.domain}`].filter(Boolean);
    const lines = [
      `**${escapeMarkdown(cookie.name)}** = \`${escapeMarkdown(maskSecret(cookie.value))}\``,
      '',
      `Domain \`${escapeMarkdown(cookie.domain)}\` · Path \`${escapeMarkdown(cookie.path)}\``,
      '',
      `${cookie.expires ? `Expires ${cookie.expires} (${expiry})` : 'Session cookie (no expiry: kept until cleared)'}`,
      '',
      flags.join(' · '),
    ];
    if (cookie.creation) lines.push('', `Created ${cookie.creation}`);
    if (cookie.lastAccessed) lines.push('', `Last used ${cookie.lastAccessed}`);
    if (lifecycle) {
      lines.push('', '---', '', '**Server session**');
      if (lifecycle.issuedAt !== undefined) lines.push('', `Issued ${formatDuration(now - lifecycle.issuedAt)} ago${lifecycle.issuedBy ? ` by ${escapeMarkdown(lifecycle.issuedBy)}` : ''}`);
      if (lifecycle.lastRotatedAt !== undefined) lines.push('', `Rotated ${formatDuration(now - lifecycle.lastRotatedAt)} ago`);
      if (lifecycle.lastSuccessAt !== undefined) lines.push('', `Last worked ${formatDuration(now - lifecycle.lastSuccessAt)} ago`);
    }
    const markdown = new vscode.MarkdownString(lines.join('\n'));
    markdown.isTrusted = false;
    return markdown;
  }

  private domains(session: Session): CookieNode[] {
    const domains = [...new Set(this.liveCookies(session).map((c) => c.domain))].sort();
    return domains.map((domain) => ({ kind: 'domain', session: session.name, domain }));
  }

  /** Expired cookies are not shown: the jar would not send them. */
  private liveCookies(session: Session): CookieRecord[] {
    const now = this.clock();
    return session.listCookies().filter((c) => !c.expires || Date.parse(c.expires) > now);
  }

  private isSessionCookie(name: string): boolean {
    return [...defaultSessionCookieNames, ...this.sessionCookieNames()].includes(name);
  }

  private lifecycleOf(sessionName: string, cookie: CookieRecord): SessionCookieLifecycle | undefined {
    return this.registry
      .get(sessionName)
      .lifecycles()
      .find((l) => l.cookieName === cookie.name && l.domain === cookie.domain && l.path === cookie.path);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function hasTokens(session: Session): boolean {
  return Object.keys(session.keptTokens()).length > 0;
}

/** Ages and idle times in whole seconds below a minute: the tree is read at a glance. */
function formatAge(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : formatDuration(ms);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
