// Runs requests_flow.py (Debian's python3-requests) against a server: the reference client.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface FlowStep {
  /** `METHOD /path` */
  readonly step: string;
  /** Status of the final response, after redirects were followed. */
  readonly status: number;
  /** Statuses of the redirect hops before it. */
  readonly redirects: readonly number[];
  /** `NAME PATH` of every cookie in the jar after the step, sorted. */
  readonly cookies: readonly string[];
}

export interface FlowSummary {
  readonly steps: readonly FlowStep[];
  readonly me: unknown;
  readonly jsessionidRotatedAtLogin: boolean;
  readonly jsessionidConflict: boolean;
}

const script = fileURLToPath(new URL('requests_flow.py', import.meta.url));

/** The login flow's summary as requests.Session saw it. */
export async function runRequestsFlow(baseUrl: string): Promise<FlowSummary> {
  const { stdout } = await promisify(execFile)('/usr/bin/python3', [script, baseUrl]);
  return JSON.parse(stdout) as FlowSummary;
}
