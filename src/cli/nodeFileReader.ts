import { readFile } from 'node:fs/promises';
import type { FileReader } from '../core/ports';

/** The core's FileReader over node:fs, for the CLI and tests. */
export const nodeFileReader: FileReader = {
  async readFile(path) {
    return new Uint8Array(await readFile(path));
  },
  async readTextIfExists(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
};
