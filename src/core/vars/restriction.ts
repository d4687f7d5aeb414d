import { isAbsolute, relative, sep } from 'node:path';
import type { FileReader } from '../ports';

/**
 * Restricted resolution, for request files the user has not trusted (VS Code's Restricted Mode): a
 * request may carry what its repository holds, never the user's secrets. Files it reads must resolve,
 * symlinks followed, inside `workspaceFolder`; `$processEnv`, `$dotenv`, private env files and
 * environments from settings are not read. No restriction (a trusted workspace, the CLI) is `undefined`.
 */
export interface Restriction {
  /** Absolute path of the request file's workspace folder; undefined (a file outside any folder) lets no file be read. */
  readonly workspaceFolder: string | undefined;
}

/** The diagnostic code of everything Restricted Mode refuses. */
export const restrictedModeCode = 'restricted-mode';

/** Why `$processEnv` / `$dotenv` gives no value under a restriction. */
export function restrictedVariableMessage(fn: 'processEnv' | 'dotenv'): string {
  const what = fn === 'processEnv' ? 'the process environment' : 'the .env file';
  return `$${fn} is not available in Restricted Mode: an untrusted workspace cannot read ${what}. Trust the workspace to use it`;
}

/**
 * The path to read for `path`: itself when unrestricted; under a restriction its real path, which must lie
 * inside the workspace folder, else a refusal saying why. A missing file keeps its path (the read reports it).
 */
export async function permittedPath(path: string, restriction: Restriction | undefined, reader: FileReader): Promise<{ path: string } | { refusal: string }> {
  if (!restriction) return { path };
  const real = await reader.realPath(path);
  if (real === undefined) return { path };
  const folder = restriction.workspaceFolder;
  if (folder === undefined) return { refusal: `Restricted Mode reads no file for a request outside a workspace folder (${path})` };
  // The folder resolved too: it may itself sit behind a symlink (/tmp on macOS).
  const root = (await reader.realPath(folder)) ?? folder;
  const inside = relative(root, real);
  if (inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) return { path: real };
  const via = real === path ? '' : ` (it leads to ${real})`;
  return { refusal: `${path} is outside the workspace folder${via}: Restricted Mode reads only files inside it. Trust the workspace to read it` };
}
