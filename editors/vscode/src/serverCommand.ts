/**
 * Finds the qwen-ls server: the `qwen.server.command` setting → the server bundled in this .vsix →
 * `qwen-ls` on PATH → `python3 -m qwen_ls`. The order and messages are pure logic in
 * common/serverResolution.ts; this file only supplies the probes (file system, a short Python
 * import check) and the settings.
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

/**
 * Where `make vsix` (scripts/package-vsix.mjs) puts the frozen server inside the extension: the
 * PyInstaller onedir folder, whose executable is `qwen-ls` (`qwen-ls.exe` on Windows).
 */
export function bundledServerPath(extensionPath: string): string {
  return path.join(extensionPath, 'server', 'qwen-ls', process.platform === 'win32' ? 'qwen-ls.exe' : 'qwen-ls');
}

/** The bundled server when it is there; restores its executable bit if an unzip dropped it. */
function bundledServer(extensionPath: string): string | undefined {
  const exe = bundledServerPath(extensionPath);
  if (!fs.existsSync(exe)) {
    return undefined;
  }
  if (!isExecutable(exe) && process.platform !== 'win32') {
    try {
      fs.chmodSync(exe, 0o755);
    } catch {
      return undefined;
    }
  }
  return isExecutable(exe) ? exe : undefined;
}

export function primaryWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

export function findServer(extensionPath: string): ServerLaunch | ResolveFailure {
  // In Restricted Mode VS Code leaves out the workspace value of this setting (it is listed in
  // capabilities.untrustedWorkspaces.restrictedConfigurations): an untrusted folder can never
  // choose the program that runs.
  const setting = vscode.workspace.getConfiguration('qwen').get<unknown>('server.command');
  const workspaceFolder = primaryWorkspaceFolder();
  return resolveServer(
    { setting, workspaceFolder, userHome: os.homedir(), envPath: process.env.PATH },
    {
      bundled: () => bundledServer(extensionPath),
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
