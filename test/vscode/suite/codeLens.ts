// Issue 4: the Send Request / Send All CodeLenses sit on the request lines, in .http and YAML files,
// and carry the arguments that send exactly that request.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defineSuite } from './hostTest';
import { lineOf, openRequestFile } from './requestFiles';
import { activateExtension } from './workspace';

interface LensSummary {
  title: string | undefined;
  line: number;
  command: string | undefined;
  /** The line argument of sendRequest (undefined for Send All, whose only argument is the file). */
  argumentLine: unknown;
}

async function lensesOf(document: vscode.TextDocument): Promise<LensSummary[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
  for (const lens of lenses) assert.equal(String(lens.command?.arguments?.[0]), document.uri.toString(), 'every lens acts on its own file');
  return lenses.map((lens) => ({ title: lens.command?.title, line: lens.range.start.line, command: lens.command?.command, argumentLine: lens.command?.arguments?.[1] }));
}

/** Send All + Send Request on the first request line, Send Request on each other one. */
function expectedLenses(requestLines: readonly number[]): LensSummary[] {
  return requestLines.flatMap((line, index) => [
    ...(index === 0 ? [{ title: 'Send All', line, command: 'httpSession.sendAll', argumentLine: undefined }] : []),
    { title: 'Send Request', line, command: 'httpSession.sendRequest', argumentLine: line },
  ]);
}

const httpFile = `# Three requests, with the things that sit between them
@base = http://127.0.0.1:9

### First
GET {{base}}/one
Accept: application/json

### Second
# @name second
POST {{base}}/two
Content-Type: text/plain

a body line that mentions GET {{base}}/nothing

### Third
DELETE {{base}}/three
`;

const yamlFile = `variables:
  base: http://127.0.0.1:9
requests:
  - name: first
    GET: "{{base}}/one"
  - name: second
    headers:
      Accept: application/json
    POST: "{{base}}/two"
    json:
      title: not a request line
  - PUT: "{{base}}/three"
`;

export default defineSuite('codeLens', (test) => {
  test('.http file with 3 requests: Send All on the first request line, Send Request on each request line', async () => {
    await activateExtension();
    const document = await openRequestFile('lenses/three.http', httpFile);
    const requestLines = [lineOf(httpFile, 'GET {{base}}/one'), lineOf(httpFile, 'POST {{base}}/two'), lineOf(httpFile, 'DELETE {{base}}/three')];
    assert.deepEqual(requestLines, [4, 9, 15]);
    assert.deepEqual(await lensesOf(document), expectedLenses(requestLines));
  });

  test('*.http.yaml file: a lens on each METHOD: url line', async () => {
    await activateExtension();
    const document = await openRequestFile('lenses/three.http.yaml', yamlFile);
    const requestLines = [lineOf(yamlFile, 'GET: '), lineOf(yamlFile, 'POST: '), lineOf(yamlFile, 'PUT: ')];
    assert.deepEqual(requestLines, [4, 8, 11]);
    assert.deepEqual(await lensesOf(document), expectedLenses(requestLines));
  });
});
