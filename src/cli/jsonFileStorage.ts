import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HttpSessionError } from '../core/errors';
import { setAsideName, systemClock, type SessionStorage } from '../core/ports';
import { JsonSyntaxError, parseJsonTree } from '../shared/panel/jsonTree';

/** Keeps the CLI's session state in a JSON file (`--session PATH`); a missing or empty file is an empty session. */
export class JsonFileStorage implements SessionStorage {
  constructor(private readonly path: string) {}

  async load(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new HttpSessionError('HS_STATE', `not JSON: ${syntaxProblem(text, error)}`);
    }
  }

  async save(state: unknown): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // Write then rename: an interrupted save never leaves half a session behind.
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, this.path);
  }

  async setAside(): Promise<string> {
    const aside = setAsideName(this.path, systemClock.now());
    await rename(this.path, aside);
    return aside;
  }
}

/**
 * Where and why the text is not JSON. V8 names the position of only some errors and quotes the text
 * around it (a session file holds cookie values), so the panel's JSON scanner finds the place.
 */
function syntaxProblem(text: string, parseError: unknown): string {
  try {
    parseJsonTree(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const before = text.slice(0, error.offset).split('\n');
      return `${error.message} (line ${before.length}, column ${before.at(-1)!.length + 1})`;
    }
  }
  // The scanner is laxer than JSON.parse about control characters and escapes; V8 gives the position of those.
  return parseError instanceof Error ? parseError.message : String(parseError);
}

/** No `--session`: the session lives for this run only. */
export const memoryStorage: SessionStorage = {
  load: async () => undefined,
  save: async () => undefined,
  setAside: async () => 'nowhere: this run keeps no session',
};
