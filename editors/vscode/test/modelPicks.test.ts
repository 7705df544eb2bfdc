import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatContext, modelPickEntries } from '../src/common/modelPicks';
import type { ModelList, ModelRow } from '../src/common/protocol';

function row(id: string, protocol: string, extra: Partial<ModelRow> = {}): ModelRow {
  return {
    id,
    name: id,
    description: null,
    protocol,
    baseUrl: 'https://x/v1',
    contextWindow: null,
    envKey: 'K',
    keyStatus: 'set',
    keySource: 'shell',
    scope: 'user',
    scopeFile: null,
    current: false,
    ...extra,
  };
}

const list: ModelList = {
  current: { id: 'b', protocol: 'openai', baseUrl: 'https://x/v1' },
  groups: [
    { protocol: 'openai', models: [row('a', 'openai', { name: '[ModelStudio Coding Plan] a', contextWindow: 1_000_000 }), row('b', 'openai')] },
    { protocol: 'anthropic', models: [row('c', 'anthropic', { keyStatus: 'missing', envKey: 'ANTHROPIC_API_KEY' })] },
    { protocol: 'gemini', models: [] },
  ],
};

describe('modelPickEntries', () => {
  const entries = modelPickEntries(list);

  it('groups by protocol with separators, skipping empty groups', () => {
    assert.deepEqual(
      entries.map((e) => (e.kind === 'separator' ? `--${e.label}` : e.args.id)),
      ['--OpenAI-compatible', 'a', 'b', '--Anthropic'].concat(['c']),
    );
  });

  it('marks the current model (matched on id, protocol and base URL)', () => {
    const b = entries.find((e) => e.kind === 'item' && e.args.id === 'b');
    assert.ok(b && b.kind === 'item');
    assert.equal(b.picked, true);
    assert.match(b.label, /^\$\(check\) b$/);
    assert.match(b.description, /\(current\)/);
    const a = entries.find((e) => e.kind === 'item' && e.args.id === 'a');
    assert.ok(a && a.kind === 'item' && !a.picked);
  });

  it('shows name, context and key status', () => {
    const a = entries.find((e) => e.kind === 'item' && e.args.id === 'a');
    assert.ok(a && a.kind === 'item');
    assert.match(a.description, /\[ModelStudio Coding Plan\] a · 1M ctx · user/);
    assert.match(a.detail, /\$\(key\) K set \(shell\)/);
    const c = entries.find((e) => e.kind === 'item' && e.args.id === 'c');
    assert.ok(c && c.kind === 'item');
    assert.match(c.detail, /\$\(warning\) ANTHROPIC_API_KEY not set/);
    assert.deepEqual(c.args, { id: 'c', protocol: 'anthropic', baseUrl: 'https://x/v1' });
  });
});

describe('formatContext', () => {
  for (const [n, s] of [[1_000_000, '1M ctx'], [262_144, '262K ctx'], [512, '512 ctx']] as const) {
    it(`${n}`, () => assert.equal(formatContext(n), s));
  }
});
