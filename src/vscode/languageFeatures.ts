import * as vscode from 'vscode';
import type { SourceRange } from '../core/model/source';
import type { RequestDocuments } from './requestDocuments';

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startColumn, range.endLine, range.endColumn);
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
          arguments: [document.uri, request.requestLineRange.startLine],
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
      const { startLine, endLine } = request.range;
      const header = startLine > 0 && document.lineAt(startLine - 1).text.startsWith('###') ? startLine - 1 : startLine;
      return endLine > header ? [new vscode.FoldingRange(header, endLine, vscode.FoldingRangeKind.Region)] : [];
    });
  }
}
