import type { ParsedFile } from '../model/request';

export interface ScriptSetVariable {
  readonly name: string;
  /** Zero-based line of the script that sets it. */
  readonly line: number;
}

// `client.global.set("token", …)` and `request.variables.set('sig', …)` with a literal name: what real files write.
const setCall = /\b(?:client\.global|request\.variables)\.set\(\s*(["'`])([^"'`\\\n]+)\1/g;

/**
 * The variables the file's inline scripts set, found by reading them (not running them), for the editor:
 * a `{{token}}` below a handler that sets `token` is not an unknown variable. Script files (`> ./x.js`) are
 * not read here.
 */
export function scriptSetVariables(file: ParsedFile): ScriptSetVariable[] {
  const found: ScriptSetVariable[] = [];
  for (const request of file.requests) {
    for (const script of [...(request.preRequestScripts ?? []), ...request.handlers]) {
      if (script.kind !== 'script') continue;
      for (const match of script.text.matchAll(setCall)) found.push({ name: match[2]!, line: script.range.startLine });
    }
  }
  return found;
}
