/** What a CLI command may touch besides the file system: injected so tests run commands in-process. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
}

/** A wrong invocation: reported with the command's name and exit code 2. */
export class CliUsageError extends Error {}

/** Splits argv into positionals and `--flag [value]` options; repeated options accumulate. */
export function parseArgs(
  args: readonly string[],
  spec: { flags?: readonly string[]; values?: readonly string[] },
): { positionals: string[]; flags: Set<string>; values: Map<string, string[]> } {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
    } else if (spec.flags?.includes(arg)) {
      flags.add(arg);
    } else if (spec.values?.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new CliUsageError(`${arg} needs a value`);
      values.set(arg, [...(values.get(arg) ?? []), value]);
    } else {
      throw new CliUsageError(`unknown option ${arg}`);
    }
  }
  return { positionals, flags, values };
}
