import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mask, Redactor } from '../src/common/redact';

describe('mask', () => {
  for (const [input, expected] of [
    ['sk-sp-abcdef1a2b', 'sk-…1a2b'],
    ['12345678', '***'],
    ['', '(not set)'],
    [null, '(not set)'],
    ['  sk-0123456789abcd  ', 'sk-…abcd'],
  ] as const) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(mask(input), expected));
  }
});

describe('Redactor', () => {
  it('masks key-shaped substrings', () => {
    const r = new Redactor();
    assert.equal(r.redact('key sk-sp-0123456789abcdef set'), 'key sk-…cdef set');
    assert.equal(r.redact('AIzaSyA0123456789abcdefghijklmno'), 'AIz…lmno');
    assert.equal(r.redact('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer abc…mnop');
  });

  it('masks remembered secrets of any shape', () => {
    const r = new Redactor();
    r.remember('hunter2-not-a-pattern');
    assert.equal(r.redact('sent hunter2-not-a-pattern to x'), 'sent hun…tern to x');
  });

  it('masks secret fields of a traced command argument', () => {
    const r = new Redactor();
    const trace = JSON.stringify({ command: 'qwen-ls.signIn.apiKey', arguments: [{ key: 'plainsecretvalue', envKey: 'OPENAI_API_KEY' }] });
    const out = r.redact(trace);
    assert.ok(!out.includes('plainsecretvalue'), out);
    assert.ok(out.includes('"key":"pla…alue"'), out);
    assert.ok(out.includes('OPENAI_API_KEY'));
  });

  it('leaves masked values and ordinary text alone', () => {
    const r = new Redactor();
    for (const text of ['key sk-…1a2b', '"key":"sk-…1a2b"', 'model qwen3-coder-plus at https://x/v1', 'OPENAI_API_KEY']) {
      assert.equal(r.redact(text), text);
    }
  });
});
