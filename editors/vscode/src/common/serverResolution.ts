/**
 * Where the qwen-ls server comes from, as pure logic: the `qwen.server.command` setting (argv, with
 * `${workspaceFolder}` expanded) → the server bundled in the per-platform .vsix → `qwen-ls` on
 * PATH → `python3 -m qwen_ls`. The file-system and
 * process probes are passed in, so unit tests run without VS Code or a Python install.
 */

export type ServerSource = 'setting' | 'bundled' | 'path' | 'python';

export interface ServerLaunch {
  command: string;
  args: string[];
  source: ServerSource;
  /** Human-readable, for the output channel and error messages. */
  display: string;
}

export interface ResolveFailure {
  /** What was tried, in order, for the error message. */
  tried: string[];
  /** The PATH that was searched, as the extension host sees it (it may differ from a terminal's). */
  searchedPath: string;
  /** Why the explicit setting could not be used, when it was set. */
  settingProblem?: string;
}

export interface Probes {
  /** Absolute path of an executable found on PATH (or the given path when it is executable). */
  which(name: string): string | undefined;
  /** True when `python -c 'import qwen_ls'` succeeds with this interpreter. */
  pythonHasQwenLs(python: string): boolean;
  /**
   * The server this .vsix carries (`server/qwen-ls/qwen-ls`), when it is there and executable;
   * undefined for the platform-neutral build, which has none.
   */
  bundled(): string | undefined;
}

export interface ResolveInput {
  setting: unknown;
  workspaceFolder: string | undefined;
  userHome: string | undefined;
  /** The extension host's PATH, only for the message. */
  envPath: string | undefined;
}

/** Expand `${workspaceFolder}`, `${userHome}` and a leading `~/` in one argv element. */
export function expandVariables(arg: string, workspaceFolder: string | undefined, userHome: string | undefined): string {
  let out = arg.replace(/\$\{(workspaceFolder|userHome)\}/g, (m, name: string) => {
    const value = name === 'workspaceFolder' ? workspaceFolder : userHome;
    return value ?? m;
  });
  if (userHome && (out === '~' || out.startsWith('~/'))) {
    out = userHome + out.slice(1);
  }
  return out;
}

function quote(arg: string): string {
  return /[\s"'$]/.test(arg) ? JSON.stringify(arg) : arg;
}

export function displayArgv(argv: string[]): string {
  return argv.map(quote).join(' ');
}

/** Normalise the setting: a non-empty string array, else undefined. A plain string is one argv. */
export function settingArgv(setting: unknown): string[] | undefined {
  if (typeof setting === 'string') {
    return setting.trim() ? [setting.trim()] : undefined;
  }
  if (Array.isArray(setting)) {
    const argv = setting.filter((a): a is string => typeof a === 'string');
    if (argv.length > 0 && argv[0].trim()) {
      return argv;
    }
  }
  return undefined;
}

/** The interpreters tried for `python -m qwen_ls`, in order. */
export const PYTHONS = ['python3', 'python'];

/**
 * The lookup order: `qwen.server.command` (when set; authoritative) → the bundled server →
 * `qwen-ls` on PATH → `python3 -m qwen_ls` (then `python`).
 */
export function resolveServer(input: ResolveInput, probes: Probes): ServerLaunch | ResolveFailure {
  const searchedPath = input.envPath ?? '';
  const argv = settingArgv(input.setting);
  if (argv) {
    // An explicit setting is authoritative: falling back would hide the user's mistake.
    const expanded = argv.map((a) => expandVariables(a, input.workspaceFolder, input.userHome));
    const display = displayArgv(expanded);
    const exe = probes.which(expanded[0]);
    if (!exe) {
      return {
        tried: [`qwen.server.command: ${display}`],
        searchedPath,
        settingProblem: `"${expanded[0]}" from the setting qwen.server.command was not found or is not executable`,
      };
    }
    return { command: exe, args: expanded.slice(1), source: 'setting', display };
  }

  const tried: string[] = [];
  const bundled = probes.bundled();
  if (bundled) {
    return { command: bundled, args: [], source: 'bundled', display: `${bundled} (bundled)` };
  }
  tried.push('the bundled server (this .vsix has none: it is the platform-neutral build)');

  const onPath = probes.which('qwen-ls');
  if (onPath) {
    return { command: onPath, args: [], source: 'path', display: onPath };
  }
  tried.push('qwen-ls on PATH');

  for (const python of PYTHONS) {
    const exe = probes.which(python);
    if (!exe) {
      tried.push(`${python} (not on PATH)`);
      continue;
    }
    if (probes.pythonHasQwenLs(exe)) {
      return { command: exe, args: ['-m', 'qwen_ls'], source: 'python', display: `${exe} -m qwen_ls` };
    }
    tried.push(`${exe} -m qwen_ls (module qwen_ls not installed)`);
  }
  return { tried, searchedPath };
}

export function isLaunch(r: ServerLaunch | ResolveFailure): r is ServerLaunch {
  return (r as ServerLaunch).command !== undefined;
}

/** The PATH for a message: every entry, so that a PATH that differs from the terminal's shows. */
export function describePath(envPath: string, pathSep = ':'): string {
  const dirs = envPath.split(pathSep).filter(Boolean);
  return dirs.length ? dirs.join(pathSep) : '(empty)';
}

/** The one error message shown when no server could be found. */
export function failureMessage(f: ResolveFailure, pathSep = ':'): string {
  const where = `PATH searched: ${describePath(f.searchedPath, pathSep)}.`;
  if (f.settingProblem) {
    return `Qwen: cannot start the language server: ${f.settingProblem}. ${where} Fix the setting, or clear it to use the bundled server.`;
  }
  return (
    `Qwen: cannot find the qwen-ls language server. Tried: ${f.tried.join('; ')}. ${where} ` +
    'Install the .vsix for your platform (it carries the server), or install qwen-ls ' +
    '(see "Install Instructions"), or set qwen.server.command.'
  );
}

/** Look an executable up on PATH the way a shell does, with the fs check passed in. */
export function whichOnPath(
  name: string,
  envPath: string | undefined,
  isExecutable: (file: string) => boolean,
  pathSep = ':',
  join: (dir: string, file: string) => string = (d, f) => (d.endsWith('/') ? d + f : `${d}/${f}`),
): string | undefined {
  if (name.includes('/') || name.includes('\\')) {
    return isExecutable(name) ? name : undefined;
  }
  for (const dir of (envPath ?? '').split(pathSep)) {
    if (!dir) {
      continue;
    }
    const file = join(dir, name);
    if (isExecutable(file)) {
      return file;
    }
  }
  return undefined;
}
