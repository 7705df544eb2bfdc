import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expandVariables,
  failureMessage,
  isLaunch,
  resolveServer,
  settingArgv,
  whichOnPath,
  type Probes,
} from '../src/common/serverResolution';
import { startFailure, tail } from '../src/common/startFailure';

function probes(executables: string[], pythonWithQwenLs: string[] = [], bundled?: string): Probes {
  return {
    which: (name) => executables.find((e) => e === name || e.endsWith(`/${name}`)),
    pythonHasQwenLs: (py) => pythonWithQwenLs.includes(py),
    bundled: () => bundled,
  };
}

const base = { workspaceFolder: undefined, userHome: '/h', envPath: '/usr/local/bin:/usr/bin' };
const BUNDLED = '/ext/server/qwen-ls/qwen-ls';

describe('resolveServer', () => {
  it('uses the setting first, with ${workspaceFolder} expanded, even when a server is bundled', () => {
    const r = resolveServer(
      { ...base, setting: ['${workspaceFolder}/.venv/bin/qwen-ls', '--log', '${userHome}/x'], workspaceFolder: '/ws', userHome: '/home/u' },
      probes(['/ws/.venv/bin/qwen-ls', '/usr/bin/qwen-ls'], [], BUNDLED),
    );
    assert.ok(isLaunch(r));
    assert.equal(r.command, '/ws/.venv/bin/qwen-ls');
    assert.deepEqual(r.args, ['--log', '/home/u/x']);
    assert.equal(r.source, 'setting');
  });

  it('does not fall back when the setting names a missing program, and says which PATH it searched', () => {
    const r = resolveServer({ ...base, setting: ['/nope/qwen-ls'], workspaceFolder: '/ws' }, probes(['/usr/bin/qwen-ls'], [], BUNDLED));
    assert.ok(!isLaunch(r));
    const msg = failureMessage(r);
    assert.match(msg, /qwen\.server\.command/);
    assert.match(msg, /\/nope\/qwen-ls/);
    assert.match(msg, /PATH searched: \/usr\/local\/bin:\/usr\/bin\./);
  });

  it('then the bundled server, before anything on PATH', () => {
    const r = resolveServer({ ...base, setting: [] }, probes(['/usr/bin/qwen-ls', '/usr/bin/python3'], ['/usr/bin/python3'], BUNDLED));
    assert.ok(isLaunch(r));
    assert.equal(r.source, 'bundled');
    assert.equal(r.command, BUNDLED);
    assert.deepEqual(r.args, []);
  });

  it('then qwen-ls on PATH', () => {
    const r = resolveServer({ ...base, setting: [] }, probes(['/usr/bin/qwen-ls', '/usr/bin/python3'], ['/usr/bin/python3']));
    assert.ok(isLaunch(r));
    assert.equal(r.source, 'path');
    assert.deepEqual(r.args, []);
  });

  it('then python3 -m qwen_ls when the module is installed', () => {
    const r = resolveServer({ ...base, setting: undefined }, probes(['/usr/bin/python3'], ['/usr/bin/python3']));
    assert.ok(isLaunch(r));
    assert.equal(r.command, '/usr/bin/python3');
    assert.deepEqual(r.args, ['-m', 'qwen_ls']);
  });

  it('then python when python3 lacks the module', () => {
    const r = resolveServer({ ...base, setting: undefined }, probes(['/usr/bin/python3', '/opt/py/python'], ['/opt/py/python']));
    assert.ok(isLaunch(r));
    assert.equal(r.command, '/opt/py/python');
  });

  it('fails with every place and interpreter it tried, the PATH, and what to install', () => {
    const r = resolveServer({ ...base, setting: null }, probes(['/usr/bin/python3']));
    assert.ok(!isLaunch(r));
    const msg = failureMessage(r);
    assert.match(msg, /bundled server \(this \.vsix has none/);
    assert.match(msg, /qwen-ls on PATH/);
    assert.match(msg, /\/usr\/bin\/python3 -m qwen_ls \(module qwen_ls not installed\)/);
    assert.match(msg, /python \(not on PATH\)/);
    assert.match(msg, /PATH searched: \/usr\/local\/bin:\/usr\/bin\./);
    assert.match(msg, /Install the \.vsix for your platform/);
    // No instruction that cannot work: qwen-ls is not on PyPI before the first release.
    assert.doesNotMatch(msg, /pipx install qwen-ls"/);
  });

  it('reports a machine without python and an empty PATH', () => {
    const r = resolveServer({ ...base, setting: [], envPath: '' }, probes([]));
    assert.ok(!isLaunch(r));
    const msg = failureMessage(r);
    assert.match(msg, /python3 \(not on PATH\)/);
    assert.match(msg, /PATH searched: \(empty\)/);
  });
});

describe('startFailure', () => {
  const launch = { command: 'sh', args: ['-c', 'exit 3'], source: 'setting' as const, display: 'sh -c "exit 3"' };
  it('names the command, where it came from, why it failed and its last output', () => {
    const msg = startFailure(launch, 'it exited with code 3', 'Traceback...\nModuleNotFoundError: No module named qwen_ls\n');
    assert.match(msg, /"sh -c "exit 3"" \(from the setting qwen\.server\.command\) did not start: it exited with code 3\./);
    assert.match(msg, /Its last output: Traceback\.\.\. ModuleNotFoundError: No module named qwen_ls/);
    assert.match(msg, /Fix or clear qwen\.server\.command/);
  });
  it('keeps only the tail of a long output', () => {
    const msg = startFailure({ ...launch, source: 'bundled' }, 'it was ended by SIGKILL', 'x'.repeat(5000) + '\nthe end');
    assert.ok(msg.length < 700, msg);
    assert.match(msg, /the end\.$/);
    assert.doesNotMatch(msg, /qwen\.server\.command/);
  });
});

describe('tail', () => {
  it('returns short text unchanged and cuts long text at a line start', () => {
    assert.equal(tail('abc', 10), 'abc');
    assert.equal(tail('aaaa\nbbbb', 6), 'bbbb');
  });
});

describe('settingArgv', () => {
  for (const [input, expected] of [
    [undefined, undefined],
    [[], undefined],
    [[''], undefined],
    ['qwen-ls', ['qwen-ls']],
    [['python3', '-m', 'qwen_ls'], ['python3', '-m', 'qwen_ls']],
    [[1, 'x'], ['x']],
  ] as const) {
    it(JSON.stringify(input), () => assert.deepEqual(settingArgv(input), expected));
  }
});

describe('expandVariables', () => {
  it('expands known variables and ~', () => {
    assert.equal(expandVariables('${workspaceFolder}/a', '/ws', '/h'), '/ws/a');
    assert.equal(expandVariables('~/bin/qwen-ls', '/ws', '/h'), '/h/bin/qwen-ls');
    assert.equal(expandVariables('${workspaceFolder}/a', undefined, '/h'), '${workspaceFolder}/a');
    assert.equal(expandVariables('${env:X}', '/ws', '/h'), '${env:X}');
  });
});

describe('whichOnPath', () => {
  it('searches PATH in order and skips empty entries', () => {
    const exists = new Set(['/b/qwen-ls', '/c/qwen-ls']);
    assert.equal(whichOnPath('qwen-ls', ':/a:/b:/c', (f) => exists.has(f)), '/b/qwen-ls');
    assert.equal(whichOnPath('missing', '/a:/b', (f) => exists.has(f)), undefined);
    assert.equal(whichOnPath('/c/qwen-ls', '', (f) => exists.has(f)), '/c/qwen-ls');
  });
});
