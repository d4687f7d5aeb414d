import { scriptsOf, type ParsedFile } from '../model/request';

export interface ScriptSetVariable {
  readonly name: string;
  /** Zero-based line of the script that sets it. */
  readonly line: number;
}

// `client.global.set("token", …)` and `request.variables.set('sig', …)` with a literal name: what real files write.
const setCall = /\b(?:client\.global|request\.variables)\.set\(\s*(["'`])([^"'`\\\n]+)\1/g;
// httpYac: `exports.token = …` and `$global.token = …`.
const httpYacSet = /(?:\bexports|\$global)\.([A-Za-z_$][\w$]*)\s*=(?!=)/g;

/**
 * The variables the file's inline scripts set (JetBrains `{% %}`, httpYac `{{ }}`), found by reading them (not running them), for the editor:
 * a `{{token}}` below a handler that sets `token` is not an unknown variable. Script files (`> ./x.js`) are
 * not read here.
 */
export function scriptSetVariables(file: ParsedFile): ScriptSetVariable[] {
  const found: ScriptSetVariable[] = [];
  for (const script of scriptsOf(file)) {
    if (script.kind === 'script') for (const match of script.text.matchAll(setCall)) found.push({ name: match[2]!, line: script.range.startLine });
    if (script.kind === 'httpYacScript') for (const match of script.text.matchAll(httpYacSet)) found.push({ name: match[1]!, line: script.range.startLine });
  }
  return found;
}
