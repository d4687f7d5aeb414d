// One build, one watch: the extension (node, cjs, `vscode` external), the CLI (node) and the
// webview bundle (browser). `--watch` rebuilds all three; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
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
