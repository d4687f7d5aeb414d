import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { FixAction } from '../model/exchange';
import { directiveNamed } from './directiveTable';

// A finding's fix on a YAML request file: the same edits as on a `.http` file, in YAML's own terms
// (a key of the request's `headers` map, an option key), through the yaml library's document model
// so comments and the rest of the file are kept.

/** Character offsets of the start and end of a 0-based line. */
function lineSpan(text: string, line: number): [number, number] {
  let start = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end < 0 ? text.length : end];
}

/** The key of `map` equal to `name` ignoring case (header names), if any. */
function keyIgnoringCase(map: YAMLMap, name: string): unknown {
  const lower = name.toLowerCase();
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value).toLowerCase() === lower)?.key;
}

/**
 * The file's text with `action` applied to the request on `line` (0-based, any line of that request);
 * undefined when the action does not apply there (no such request, header or option).
 */
export function applyYamlFix(text: string, line: number, action: FixAction): string | undefined {
  const document = parseDocument(text);
  const requests = document.get('requests', true);
  if (!isSeq(requests)) return undefined;
  const [lineStart, lineEnd] = lineSpan(text, line);
  const request = requests.items.find((item) => isMap(item) && item.range != null && item.range[0] <= lineEnd && item.range[2] > lineStart);
  if (!isMap(request)) return undefined;
  switch (action.kind) {
    case 'add-header': {
      let headers = request.get('headers', true);
      if (headers === undefined) {
        request.set('headers', document.createNode({}));
        headers = request.get('headers', true);
      }
      if (!isMap(headers)) return undefined;
      const existing = keyIgnoringCase(headers, action.name);
      if (existing !== undefined) headers.delete(existing);
      headers.set(action.name, action.value);
      break;
    }
    case 'remove-header': {
      const headers = request.get('headers', true);
      const key = isMap(headers) ? keyIgnoringCase(headers, action.name) : undefined;
      if (!isMap(headers) || key === undefined) return undefined;
      headers.delete(key);
      if (headers.items.length === 0) request.delete('headers');
      break;
    }
    case 'remove-directive': {
      const row = directiveNamed(action.directive);
      const option = row && 'yamlKey' in row ? row.yamlKey : undefined;
      if (option === undefined || !request.has(option)) return undefined;
      request.delete(option);
      break;
    }
    default:
      return undefined;
  }
  return document.toString();
}
