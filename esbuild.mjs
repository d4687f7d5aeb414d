// One build, one watch: the extension (node, cjs, `vscode` external), the CLI (node) and the
// webview bundle (browser), plus the JSON Schema and the grammar the extension contributes, made
// from the directive table. `--watch` rebuilds all of them; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

/** dist/http-session.schema.json and dist/http.tmLanguage.json: the hand-written bases completed from src/core/parse/directiveTable.ts. */
async function writeContributions() {
  const { outputFiles } = await esbuild.build({ entryPoints: ['src/core/parse/directiveContributions.ts'], bundle: true, platform: 'node', format: 'esm', write: false });
  const { completeRequestFileSchema, completeHttpGrammar } = await import(`data:text/javascript,${encodeURIComponent(outputFiles[0].text)}`);
  const base = async (path) => JSON.parse(await readFile(path, 'utf8'));
  await mkdir('dist', { recursive: true });
  await writeFile('dist/http-session.schema.json', JSON.stringify(completeRequestFileSchema(await base('schemas/http-session.schema.base.json')), null, 2) + '\n');
  await writeFile('dist/http.tmLanguage.json', JSON.stringify(completeHttpGrammar(await base('syntaxes/http.tmLanguage.base.json')), null, 2) + '\n');
}
/** Rewrites them after each build of the extension, so `--watch` follows the table too. */
const contributions = { name: 'contributions', setup: (build) => build.onEnd(async (result) => result.errors.length === 0 && (await writeContributions())) };

const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [contributions] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/demo/main.ts'], outfile: 'dist/demo.js' },
];
if (existsSync('src/webview/main.ts')) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: 'media/dist/panel.js' });
}
const present = builds.filter((b) => existsSync(b.entryPoints[0]));

if (watch) {
  for (const build of present) await (await esbuild.context(build)).watch();
} else {
  await Promise.all(present.map((build) => esbuild.build(build)));
}
