import { readFile, realpath } from 'node:fs/promises';
import type { FileReader } from '../core/ports';

/** The core's FileReader over node:fs, for the CLI and tests. */
export const nodeFileReader: FileReader = {
  async readFile(path) {
    return new Uint8Array(await readFile(path));
  },
  readTextIfExists: (path) => unlessMissing(readFile(path, 'utf8')),
  realPath: (path) => unlessMissing(realpath(path)),
};

/** The result, or undefined when the path does not exist. */
async function unlessMissing<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
