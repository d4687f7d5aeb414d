// How long the response panel takes to show a JSON body: from posting `show` to the panel's
// `rendered` message, measured inside a real Chromium page (the browser test harness).
// Run directly: node --import tsx bench/panelBench.ts
import { startPanelHarness } from '../test/support/panelHarness';
import { largeJson, sampleExchange, showMessage } from '../test/support/panelFixtures';

export interface PanelBenchResult {
  readonly name: string;
  /** Median of the runs, milliseconds. */
  readonly ms100k: number;
  readonly ms5m: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}

export async function runPanelBench(runs = 5): Promise<PanelBenchResult> {
  const harness = await startPanelHarness();
  try {
    await harness.open('dark');
    const measure = async (bytes: number, label: string) => {
      const message = showMessage(sampleExchange({}, largeJson(bytes)));
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const { ms } = await harness.show({ ...message, exchange: { ...message.exchange, id: `${label}-${i}` } });
        if (i > 0) times.push(ms); // the first run warms the JIT up
      }
      return median(times);
    };
    const ms100k = await measure(100 * 1024, '100k');
    const ms5m = await measure(5 * 1024 * 1024, '5m');
    return { name: 'panel: post → rendered (JSON body)', ms100k, ms5m };
  } finally {
    await harness.close();
  }
}

if (require.main === module) {
  runPanelBench().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
