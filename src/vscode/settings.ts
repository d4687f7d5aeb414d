import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SessionDefaults, TlsOptions } from '../core/session';

/** `httpSession.csrfFieldName`: the form field `{{name.response.csrf}}` reads and the doctor looks for; undefined = `_csrf`. */
export function readCsrfFieldName(): string | undefined {
  return vscode.workspace.getConfiguration('httpSession').get<string>('csrfFieldName') || undefined;
}

/** Reads `httpSession.*` (and VS Code's `http.proxy`) into the session's defaults. Problems are returned, not thrown. */
export function readSessionDefaults(): { defaults: SessionDefaults; problems: string[] } {
  const config = vscode.workspace.getConfiguration('httpSession');
  const problems: string[] = [];
  const headers = Object.entries(config.get<Record<string, string>>('defaultHeaders') ?? {}).map(([name, value]) => [name, String(value)] as const);
  const tls: NonNullable<SessionDefaults['tls']> = {};
  // The setting has TlsOptions' fields, but its ca/cert/key name files: read into PEM text here.
  for (const [host, setting] of Object.entries(config.get<Record<string, TlsOptions>>('tls') ?? {})) {
    const read = (what: 'ca' | 'cert' | 'key'): string | undefined => {
      const path = setting[what];
      if (!path) return undefined;
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        problems.push(`httpSession.tls["${host}"].${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`);
        return undefined;
      }
    };
    tls[host] = { ca: read('ca'), cert: read('cert'), key: read('key'), rejectUnauthorized: setting.rejectUnauthorized };
  }
  const proxy = config.get<string>('proxy') || vscode.workspace.getConfiguration('http').get<string>('proxy') || undefined;
  const timeout = config.get<number>('timeout') ?? 0;
  return {
    problems,
    defaults: {
      headers,
      tls,
      proxy,
      followRedirects: config.get<boolean>('followRedirects') ?? true,
      maxRedirects: config.get<number>('maxRedirects') ?? 10,
      maxBodyBytes: config.get<number>('maxBodySize'),
      timeoutMs: timeout > 0 ? timeout : undefined,
      connectTimeoutMs: config.get<number>('connectTimeout'),
      sessionCookieNames: config.get<string[]>('sessionCookieNames') ?? [],
      csrf: {
        mode: config.get<string>('csrf') === 'off' ? 'off' : 'auto',
        cookieName: config.get<string>('csrfCookieName') || undefined,
        headerName: config.get<string>('csrfHeaderName') || undefined,
        fieldName: readCsrfFieldName(),
      },
    },
  };
}
