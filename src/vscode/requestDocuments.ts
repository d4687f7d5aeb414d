import * as vscode from 'vscode';
import type { ParsedFile, RequestTemplate } from '../core/model/request';
import { isYamlRequestFile, parseRequestFile } from '../core/parse';

/** The documents this extension handles: `http` language (.http, .rest) and YAML request files. */
export const requestDocumentSelector: vscode.DocumentSelector = [
  { language: 'http' },
  { pattern: '**/*.http.yaml' },
  { pattern: '**/*.http.yml' },
];

export function isRequestDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'http' || isYamlRequestFile(document.fileName);
}

/** Parses each document version once; CodeLens, diagnostics, folding, hover and send share the result. */
export class RequestDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; parsed: ParsedFile }>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString()));

  parse(document: vscode.TextDocument): ParsedFile {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.parsed;
    const parsed = parseRequestFile(document.getText(), document.fileName);
    this.cache.set(key, { version: document.version, parsed });
    return parsed;
  }

  /** The request whose block contains the line, or the nearest one above it. */
  requestAt(document: vscode.TextDocument, line: number): RequestTemplate | undefined {
    const { requests } = this.parse(document);
    return requests.find((r) => r.range.startLine <= line && line <= r.range.endLine) ?? [...requests].reverse().find((r) => r.range.startLine <= line);
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}
