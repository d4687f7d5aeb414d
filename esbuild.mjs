// One build, one watch: the extension (node, cjs, `vscode` external), the CLI (node, ES modules) and the
// webview bundle (browser), plus the JSON Schema and the grammar the extension contributes, made
// from the directive table. `--watch` rebuilds all of them; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// jsonc-parser's `main` is a UMD build whose `require('./impl/…')` a bundle cannot follow: take its ES module build.
const alias = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none', alias };
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

/** dist/cli.js, the `http-session` bin: starts the ES module build of the CLI. */
const cliLauncher = { name: 'cli-launcher', setup: (build) => build.onEnd(() => writeFile('dist/cli.js', "#!/usr/bin/env node\nimport('./cli/bin.mjs');\n")) };

const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [contributions] },
  // ES modules so that each command is a chunk loaded on use; `require` for the CommonJS packages bundled in.
  {
    ...common,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    entryPoints: ['src/cli/bin.ts'],
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: [cliLauncher],
  },
  { ...node, entryPoints: ['src/demo/main.ts'], outfile: 'dist/demo.js' },
];
if (existsSync('src/webview/main.ts')) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: 'media/dist/panel.js' });
}
const present = builds.filter((b) => existsSync(b.entryPoints[0]));

// Chunk names carry a hash: clear the last build's chunks so dist/cli holds only this one's.
await rm('dist/cli', { recursive: true, force: true });
if (watch) {
  for (const build of present) await (await esbuild.context(build)).watch();
} else {
  await Promise.all(present.map((build) => esbuild.build(build)));
}
