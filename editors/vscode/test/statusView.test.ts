import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthStatus } from '../src/common/protocol';
import { statusSummary, statusView } from '../src/common/statusView';

const base: AuthStatus = {
  method: 'api-key',
  methodLabel: 'API Key',
  authType: 'openai',
  model: { id: 'gpt-4o', name: 'GPT-4o' },
  baseUrl: 'https://api.openai.com/v1',
  key: { envKey: 'OPENAI_API_KEY', present: true, source: '~/.qwen/.env', masked: 'sk-…1a2b' },
  oauth: null,
  problems: [],
  complete: true,
};

describe('statusView', () => {
  it('shows the model id and a tooltip with method, URL and masked key', () => {
    const v = statusView(base);
    assert.equal(v.text, '$(hubot) gpt-4o');
    assert.equal(v.warning, false);
    assert.match(v.tooltip, /Qwen Code: API Key/);
    assert.match(v.tooltip, /Model: GPT-4o \(gpt-4o\)/);
    assert.match(v.tooltip, /Base URL: https:\/\/api\.openai\.com\/v1/);
    assert.match(v.tooltip, /Key: OPENAI_API_KEY = sk-…1a2b \(from ~\/\.qwen\/\.env\)/);
  });

  it('warns when incomplete and lists the problems', () => {
    const v = statusView({ ...base, complete: false, key: { envKey: 'OPENAI_API_KEY', present: false, source: null, masked: null }, problems: ['OPENAI_API_KEY is not set'] });
    assert.equal(v.warning, true);
    assert.match(v.tooltip, /OPENAI_API_KEY is not set/);
  });

  it('never shows a whole key, even if the server sends one', () => {
    const v = statusView({ ...base, key: { envKey: 'K', present: true, source: 'shell', masked: 'sk-plain0123456789' } });
    assert.ok(!v.tooltip.includes('sk-plain0123456789'));
    assert.match(v.tooltip, /sk-…6789/);
  });

  it('invites to sign in when there is no method', () => {
    const v = statusView({ ...base, method: 'none', methodLabel: 'Not signed in', model: null, key: null, baseUrl: null, complete: false });
    assert.equal(v.text, '$(hubot) Qwen: sign in');
    assert.equal(v.warning, true);
  });

  it('notes the discontinued OAuth tier', () => {
    const v = statusView({ ...base, method: 'qwen-oauth', methodLabel: 'Qwen OAuth', model: { id: 'coder-model', name: 'coder-model' }, key: null, oauth: { expiresAt: null, expired: false, discontinued: true } });
    assert.match(v.tooltip, /ended on 2026-04-15/);
    assert.equal(v.text, '$(hubot) coder-model');
  });
});

describe('statusSummary', () => {
  it('is one line', () => {
    const s = statusSummary(base);
    assert.ok(!s.includes('\n'));
    assert.match(s, /^Qwen: API Key · model gpt-4o/);
    assert.match(s, /Ready\.$/);
  });
});

describe('statusView with the doctor resolution', () => {
  const startup = {
    starts: true,
    stops: null,
    authType: 'openai',
    model: 'gpt-4o',
    baseUrl: 'https://api.openai.com/v1',
    key: { var: 'OPENAI_API_KEY', masked: 'sk-…1a2b', source: { kind: 'dotenv', name: 'OPENAI_API_KEY', file: '/home/u/.qwen/.env' } },
    rewrites: [],
  };

  it('tells in the tooltip what qwen -p uses, key masked', () => {
    const v = statusView({ ...base, startup });
    assert.match(v.tooltip, /qwen -p uses: openai · gpt-4o · https:\/\/api\.openai\.com\/v1/);
    assert.match(v.tooltip, /qwen -p key: OPENAI_API_KEY = sk-…1a2b \(from \/home\/u\/\.qwen\/\.env\)/);
    assert.equal(v.warning, false);
  });

  it('warns with the reason when qwen -p would stop, and the summary is not "Ready"', () => {
    const stops = { ...startup, starts: false, stops: "Missing API key for OpenAI-compatible auth. Set the 'X' environment variable." };
    const v = statusView({ ...base, startup: stops });
    assert.equal(v.warning, true);
    assert.match(v.tooltip, /qwen -p stops: Missing API key/);
    const s = statusSummary({ ...base, startup: stops });
    assert.doesNotMatch(s, /Ready/);
    assert.match(s, /qwen -p stops: Missing API key/);
  });

  it('re-masks a key an older server would send whole, and lists rewrites', () => {
    const whole = { ...startup, key: { ...startup.key, masked: 'sk-test-0000000000001a2b' }, rewrites: ['/home/u/.qwen/settings.json'] };
    const v = statusView({ ...base, startup: whole });
    assert.doesNotMatch(v.tooltip, /sk-test-0000000000001a2b/);
    assert.match(v.tooltip, /qwen rewrites \/home\/u\/\.qwen\/settings\.json on start/);
  });
});

describe('statusView when signed out', () => {
  const signedOut = {
    method: 'coding-plan', methodLabel: 'Alibaba Cloud Coding Plan', authType: 'openai', model: { id: 'qwen3-coder-plus', name: 'qwen3-coder-plus' },
    baseUrl: null, key: { envKey: 'BAILIAN_CODING_PLAN_API_KEY', present: false, source: null, masked: null }, oauth: null,
    problems: [], complete: false, signedIn: false, nextStep: 'Run "Qwen: Sign in".',
  } as const;

  it('says "not signed in" with the next step as a palette command, never "Ready"', () => {
    const view = statusView({ ...signedOut, key: { ...signedOut.key }, model: { ...signedOut.model }, problems: [] });
    assert.equal(view.text, '$(hubot) qwen3-coder-plus · sign in');
    assert.equal(statusView({ ...signedOut, key: null, model: null, problems: [] }).text, '$(hubot) Qwen: sign in');
    assert.match(view.tooltip, /not signed in/);
    assert.match(view.tooltip, /Run "Qwen: Sign in"\./);
    const summary = statusSummary({ ...signedOut, key: { ...signedOut.key }, model: { ...signedOut.model }, problems: [] });
    assert.match(summary, /^Qwen: Not signed in/);
    assert.ok(!summary.includes('Ready'), summary);
  });

  it('puts problems in editor terms', () => {
    const view = statusView({ ...signedOut, key: { ...signedOut.key }, model: { ...signedOut.model }, problems: ['The key is not set. Run `qwen-ls auth coding-plan` or `qwen-ls auth api-key`.'] });
    assert.match(view.tooltip, /Run "Qwen: Sign in"\./);
    assert.ok(!view.tooltip.includes('qwen-ls auth'), view.tooltip);
  });
});
