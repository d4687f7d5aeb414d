// Temp copies of fixture workspaces: tests may change files freely without touching the checkout.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

/** Points the fixture's requests.http (written for http://127.0.0.1:3000) at a test server. */
export async function pointRequestsAt(workspace: TempWorkspace, serverUrl: string): Promise<void> {
  const requests = path.join(workspace.folder, 'requests.http');
  await writeFile(requests, (await readFile(requests, 'utf8')).replace('http://127.0.0.1:3000', serverUrl));
}
