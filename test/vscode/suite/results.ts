// What the in-host runner reports back to the launcher: shared by both sides, free of `vscode`.

/** Environment variable naming the JSON file the in-host runner writes its results to. */
export const resultsFileEnv = 'HTTP_SESSION_TEST_RESULTS';

export interface HostTestResult {
  /** "suite › test", unique within a run. */
  name: string;
  passed: boolean;
  durationMs: number;
  /** Measurements the test recorded (HostTestContext.note). */
  notes?: string[];
  /** Message and stack of the failure. */
  error?: string;
}
