// `npm run bench`: every benchmark, one after the other, printed as tables. Speed is reported as
// figures and ratios against peers run side by side here — never asserted in the test suite.
import { describeEditorBench, runEditorBench } from './editorBench';
import { runPanelBench } from './panelBench';
import { describeParseBench, runParseBench } from './parseBench';
import { describeScriptsRow, runScriptsBench } from './scriptsBench';
import { runSessionBench } from './sessionBench';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);

  if (wanted('parse')) {
    console.log(`\n${describeParseBench(await runParseBench())}`);
  }
  for (const titled of [false, true]) {
    if (!wanted('session')) break;
    console.log(`\nsession: 1 login + 1000 GETs (${titled ? 'titled "### data i"' : 'bare "###"'} separators) against a loopback server, whole processes, median of 3 alternating rounds`);
    const rows = await runSessionBench({ titled });
    const ours = rows[0].medianMs;
    console.table(
      rows.map((r) => ({
        contestant: r.name,
        'median ms': Math.round(r.medianMs),
        'vs undici loop': `${r.ratio.toFixed(2)}x`,
        'ours is faster by': r.name === rows[0].name ? '' : `${(r.medianMs / ours).toFixed(1)}x`,
        connections: r.connections,
        'authenticated GETs': r.authenticated,
      })),
    );
  }
  if (wanted('scripts')) {
    console.log('\nscripts: 1 login + 1000 GETs, each GET with a client.test handler, vs the same file without handlers (goal < 1.5x); whole processes, the median of 7 rounds\' ratios (each round runs both files)');
    console.table((await runScriptsBench()).map(describeScriptsRow));
  }
  if (wanted('editor')) console.log(`\n${describeEditorBench(await runEditorBench())}`);
  if (wanted('panel')) {
    const panel = await runPanelBench();
    console.log('\npanel: response posted → panel rendered, in Chromium');
    console.table(panel);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
