// Enforces the layer boundaries of DESIGN.md: core is pure Node (no vscode, no DOM, nothing of shared), cli never
// imports vscode, webview never imports Node, and only src/vscode knows VS Code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const rules = [
  { dir: 'src/core', forbidden: [/^vscode$/, /^\.\.\/(vscode|webview|cli|shared)\b/, /\/(vscode|webview|cli|shared)\//], why: 'core must not depend on vscode, webview, cli or shared (shared builds on core)' },
  { dir: 'src/cli', forbidden: [/^vscode$/, /\/(vscode|webview)\//], why: 'cli must not depend on vscode or webview' },
  { dir: 'src/webview', forbidden: [/^node:/, /^(fs|path|os|http|https|net|undici|tough-cookie|vscode)$/, /\/(core|cli|vscode)\//], why: 'webview is browser code: only DOM and src/shared' },
  { dir: 'src/shared', forbidden: [/^vscode$/, /^node:/, /^(undici|tough-cookie)$/], why: 'shared protocol types must be importable by both sides' },
];

function* files(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry)) yield path;
  }
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const rule of rules) {
  for (const file of files(rule.dir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (rule.forbidden.some((pattern) => pattern.test(specifier))) {
        const line = text.slice(0, match.index).split('\n').length;
        problems.push(`${relative('.', file)}:${line}: imports '${specifier}' — ${rule.why}`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layer boundaries: ok');
