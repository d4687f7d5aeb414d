// "Import from cURL": a pasted curl command written out as a `.http` request, readable (one header a
// line, a JSON body pretty-printed), so that running it sends what the command sends.
import { parseCurlCommand } from './curlCommand';

export interface ImportedCurl {
  /** The request in `.http` syntax, ending with a line break; absent when the command has no URL. */
  readonly text?: string;
  /** What was not carried over, each naming the line of the command it is on. */
  readonly problems: readonly string[];
}

/** The `.http` text of the curl command `command`. */
export function importCurlCommand(command: string): ImportedCurl {
  const parsed = parseCurlCommand(command.trim());
  const lineOf = (offset: number): number => command.trim().slice(0, offset).split('\n').length;
  const problems = parsed.problems.map((problem) => `line ${lineOf(problem.start)}: ${problem.message}`);
  const request = parsed.request;
  if (!request) return { problems };
  const lines: string[] = [];
  if (request.timeoutMs !== undefined) lines.push(`# @timeout ${request.timeoutMs}ms`);
  if (request.connectionTimeoutMs !== undefined) lines.push(`# @connection-timeout ${request.connectionTimeoutMs}ms`);
  lines.push(`${request.method} ${request.url}`);
  for (const header of request.headers) lines.push(`${header.name}: ${header.value}`);
  if (request.body.length > 0) {
    lines.push('');
    const contentType = request.headers.find((header) => header.name.toLowerCase() === 'content-type')?.value ?? '';
    const body = request.body.map((part) => (part.kind === 'file' ? `\n< ${part.path}\n` : part.text)).join('');
    lines.push(readableBody(body, contentType).replace(/^\n|\n$/g, ''));
  }
  return { text: `${lines.join('\n')}\n`, problems };
}

/** A JSON body pretty-printed; anything else as it is. */
function readableBody(body: string, contentType: string): string {
  if (!/json/i.test(contentType) && !/^\s*[[{]/.test(body)) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
