// Temp copies of fixture workspaces: tests may change files freely without touching the checkout.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './codeServer';

export const defaultWorkspaceFixture = path.join(repoRoot, 'test/vscode/workspace');

export interface TempWorkspace {
  /** The copied folder to open. */
  folder: string;
  /** Its parent: a private place for files next to the workspace (results, logs). */
  parentDir: string;
  remove(): Promise<void>;
}

export async function copyWorkspace(fixture = defaultWorkspaceFixture): Promise<TempWorkspace> {
  const parentDir = await mkdtemp(path.join(os.tmpdir(), 'http-session-ws-'));
  const folder = path.join(parentDir, path.basename(fixture));
  await cp(fixture, folder, { recursive: true });
  return { folder, parentDir, remove: () => rm(parentDir, { recursive: true, force: true }) };
}
