import * as vscode from 'vscode';
import type { SourceRange } from '../core/model/source';
import type { RequestDocuments } from './requestDocuments';

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

/** **Send Request** above every request, **Send All** above the first. */
export class RequestCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly documents: RequestDocuments) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const { requests } = this.documents.parse(document);
    const lenses: vscode.CodeLens[] = [];
    requests.forEach((request, index) => {
      const range = toRange(request.requestLineRange);
      if (index === 0 && requests.length > 1) {
        lenses.push(new vscode.CodeLens(range, { title: 'Send All', command: 'httpSession.sendAll', arguments: [document.uri] }));
      }
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Send Request',
          tooltip: `Send ${request.name ?? request.method + ' ' + request.url} through the workspace session`,
          command: 'httpSession.sendRequest',
          arguments: [document.uri, request.requestLineRange.start.line],
        }),
      );
    });
    return lenses;
  }
}

/** Folding between `###` separators: one region per request block, folded under its separator line. */
export class RequestFoldingProvider implements vscode.FoldingRangeProvider {
  constructor(private readonly documents: RequestDocuments) {}

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    return this.documents.parse(document).requests.flatMap((request) => {
      const { start, end } = request.range;
      const header = start.line > 0 && document.lineAt(start.line - 1).text.startsWith('###') ? start.line - 1 : start.line;
      return end.line > header ? [new vscode.FoldingRange(header, end.line, vscode.FoldingRangeKind.Region)] : [];
    });
  }
}
