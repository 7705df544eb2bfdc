/**
 * Finds the qwen-ls server: the `qwen.server.command` setting → `qwen-ls` on PATH →
 * `python3 -m qwen_ls`. The order and messages are pure logic in common/serverResolution.ts; this
 * file only supplies the probes (file system, a short Python import check) and the settings.
 */

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { resolveServer, whichOnPath, type ResolveFailure, type ServerLaunch } from './common/serverResolution';

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonHasQwenLs(python: string): boolean {
  const r = spawnSync(python, ['-c', 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("qwen_ls") else 1)'], {
    env: process.env,
    timeout: 10_000,
    stdio: 'ignore',
  });
  return r.status === 0;
}

export function primaryWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

export function findServer(): ServerLaunch | ResolveFailure {
  const setting = vscode.workspace.getConfiguration('qwen').get<unknown>('server.command');
  const workspaceFolder = primaryWorkspaceFolder();
  return resolveServer(
    { setting, workspaceFolder, userHome: os.homedir() },
    {
      which: (name) => {
        if (path.isAbsolute(name) || name.includes(path.sep)) {
          const abs = path.resolve(workspaceFolder ?? process.cwd(), name);
          return isExecutable(abs) ? abs : undefined;
        }
        return whichOnPath(name, process.env.PATH, isExecutable, path.delimiter, path.join);
      },
      pythonHasQwenLs,
    },
  );
}
