import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FileReader } from '../core/ports';

/** Reads body includes and env files through VS Code's file system (works in remote windows too). */
export const workspaceFileReader: FileReader = {
  async readFile(path) {
    return vscode.workspace.fs.readFile(vscode.Uri.file(path));
  },
  async readTextIfExists(path) {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  },
  // VS Code's file system API has no realpath; the extension host runs where the workspace files are.
  async realPath(path) {
    return realpath(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
  },
};
