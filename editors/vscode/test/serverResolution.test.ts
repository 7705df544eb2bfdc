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

function probes(executables: string[], pythonWithQwenLs: string[] = []): Probes {
  return {
    which: (name) => executables.find((e) => e === name || e.endsWith(`/${name}`)),
    pythonHasQwenLs: (py) => pythonWithQwenLs.includes(py),
  };
}

describe('resolveServer', () => {
  it('uses the setting first, with ${workspaceFolder} expanded', () => {
    const r = resolveServer(
      { setting: ['${workspaceFolder}/.venv/bin/qwen-ls', '--log', '${userHome}/x'], workspaceFolder: '/ws', userHome: '/home/u' },
      probes(['/ws/.venv/bin/qwen-ls', '/usr/bin/qwen-ls']),
    );
    assert.ok(isLaunch(r));
    assert.equal(r.command, '/ws/.venv/bin/qwen-ls');
    assert.deepEqual(r.args, ['--log', '/home/u/x']);
    assert.equal(r.source, 'setting');
  });

  it('does not fall back when the setting names a missing program', () => {
    const r = resolveServer({ setting: ['/nope/qwen-ls'], workspaceFolder: '/ws', userHome: '/h' }, probes(['/usr/bin/qwen-ls']));
    assert.ok(!isLaunch(r));
    assert.match(failureMessage(r), /qwen\.server\.command/);
    assert.match(failureMessage(r), /\/nope\/qwen-ls/);
  });

  it('then qwen-ls on PATH', () => {
    const r = resolveServer({ setting: [], workspaceFolder: undefined, userHome: '/h' }, probes(['/usr/bin/qwen-ls', '/usr/bin/python3'], ['/usr/bin/python3']));
    assert.ok(isLaunch(r));
    assert.equal(r.source, 'path');
    assert.deepEqual(r.args, []);
  });

  it('then python3 -m qwen_ls when the module is installed', () => {
    const r = resolveServer({ setting: undefined, workspaceFolder: undefined, userHome: '/h' }, probes(['/usr/bin/python3'], ['/usr/bin/python3']));
    assert.ok(isLaunch(r));
    assert.equal(r.command, '/usr/bin/python3');
    assert.deepEqual(r.args, ['-m', 'qwen_ls']);
  });

  it('fails with what it tried and how to install', () => {
    const r = resolveServer({ setting: null, workspaceFolder: undefined, userHome: '/h' }, probes(['/usr/bin/python3']));
    assert.ok(!isLaunch(r));
    const msg = failureMessage(r);
    assert.match(msg, /qwen-ls on PATH/);
    assert.match(msg, /module qwen_ls not installed/);
    assert.match(msg, /pipx install qwen-ls/);
  });

  it('reports a machine without python', () => {
    const r = resolveServer({ setting: [], workspaceFolder: undefined, userHome: '/h' }, probes([]));
    assert.ok(!isLaunch(r));
    assert.match(failureMessage(r), /no python3 on PATH/);
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
