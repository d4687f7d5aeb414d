import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SessionStorage } from '../core/ports';

/** Keeps the CLI's session state in a JSON file (`--session PATH`); a missing file is an empty session. */
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
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Reported by the registry as a corrupt state and replaced; the file is only overwritten on save.
      return { corrupt: `${this.path} is not JSON` };
    }
  }

  async save(state: unknown): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // Write then rename: an interrupted save never leaves half a session behind.
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, this.path);
  }
}

/** No `--session`: the session lives for this run only. */
export const memoryStorage: SessionStorage = {
  load: async () => undefined,
  save: async () => undefined,
};
