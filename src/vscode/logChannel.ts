import * as vscode from 'vscode';
import type { Logger } from '../core/ports';

/**
 * The "HTTP Session" log; the core masks secrets before lines reach it. The wire trace (the core's
 * `trace`) is logged at info so it shows at the default log level — it is what users open the log for.
 */
export function createLogChannel(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('HTTP Session', { log: true });
  const logger: Logger = {
    trace: (message) => channel.info(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
  };
  return { channel, logger };
}
