/** Where Qwen Code keeps its user files: `$QWEN_HOME` or `~/.qwen` (facts §2). */

import * as path from 'path';

export function qwenHome(env: NodeJS.ProcessEnv, homedir: string): string {
  const fromEnv = env.QWEN_HOME?.trim();
  if (fromEnv) {
    if (fromEnv === '~' || fromEnv.startsWith('~/')) {
      return path.join(homedir, fromEnv.slice(1));
    }
    return path.resolve(fromEnv);
  }
  return path.join(homedir, '.qwen');
}

export function userSettingsPath(env: NodeJS.ProcessEnv, homedir: string): string {
  return path.join(qwenHome(env, homedir), 'settings.json');
}

export function workspaceSettingsPath(folder: string): string {
  return path.join(folder, '.qwen', 'settings.json');
}

/** `~/…` for display when the path is under the home folder. */
export function tildify(p: string, homedir: string): string {
  return homedir && (p === homedir || p.startsWith(homedir + path.sep)) ? `~${p.slice(homedir.length)}` : p;
}

/** A glob that matches exactly this absolute file (for a document selector pattern). */
export function exactFileGlob(file: string): string {
  return file.replace(/\\/g, '/').replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}
