import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFailed, missingKey, noticeHeadline, probeNotice, selectModelNotice, signInNotice, signOutDetail } from '../src/common/outcome';
import type { ProbeResult, SignInResult } from '../src/common/protocol';
import { inEditorTerms } from '../src/common/wording';

const probe = (over: Partial<ProbeResult>): ProbeResult => ({
  ok: false, status: 'failed', failure: 'auth', message: 'The endpoint rejected the key sk-…abcd (HTTP 401).',
  protocol: 'openai', modelId: 'm', baseUrl: 'http://127.0.0.1:1/v1', url: 'http://127.0.0.1:1/v1/models', host: '127.0.0.1',
  httpStatus: 401, latencyMs: 12, modelListed: null, closest: [], modelCount: null, key: null, uri: null, path: null, ...over,
});
const res = (over: Partial<SignInResult>): SignInResult => ({ ok: true, status: 'signed-in', message: 'Signed in.', files: [], ...over });

describe('a failed key check', () => {
  it('offers "Save anyway" and "Edit" when the server says the check failed (verify)', () => {
    const r = res({ ok: false, status: 'error', message: 'HTTP 401. Nothing was written.', verify: probe({}) });
    assert.equal(checkFailed(r), true);
    assert.deepEqual(signInNotice(r).actions, ['Save anyway', 'Edit']);
    assert.equal(noticeHeadline(signInNotice(r)), '$(error) Qwen: key check failed (HTTP 401)');
  });

  it('recognises Coding Plan\'s check failures too, and says "Save anyway" instead of --no-verify', () => {
    const r = res({ ok: false, status: 'error', message: 'Could not verify the key: h answered HTTP 500. Nothing was written; retry, or skip the check with --no-verify.' });
    assert.equal(checkFailed(r), true);
    const n = signInNotice(r);
    assert.ok(!n.message.includes('--no-verify'), n.message);
    assert.match(n.message, /choose "Save anyway" to skip the check/);
  });

  it('other failures have no "Save anyway": saving would not help', () => {
    const r = res({ ok: false, status: 'error', message: 'The settings file is a symlink; nothing was written.' });
    assert.equal(checkFailed(r), false);
    assert.deepEqual(signInNotice(r).actions, ['Edit', 'Show Output']);
    assert.equal(checkFailed(res({})), false);
  });
});

describe('a model pick whose key is missing', () => {
  it('uses the server\'s keyStatus, and trusts it over the older list', () => {
    const setKey = { method: 'api-key' as const, protocol: 'openai', baseUrl: 'http://h/v1', modelId: 'm', envKey: 'K1' };
    assert.equal(missingKey(res({ status: 'selected', keyStatus: 'missing', envKey: 'K1', setKey }), { envKey: 'K2', keyStatus: 'set' }), 'K1');
    assert.equal(missingKey(res({ status: 'selected', keyStatus: 'set', envKey: 'K2', setKey: null }), { envKey: 'K2', keyStatus: 'missing' }), undefined);
    assert.equal(missingKey(res({ status: 'selected', keyStatus: null, envKey: null, setKey: null }), { envKey: 'K2', keyStatus: 'missing' }), undefined);
  });

  it('keeps the server\'s own "not set" sentence when it has one', () => {
    const message = 'Selected m. Its key K1 is not set (searched: ~/.qwen/.env); the CLI will not start with it. Set the key.';
    assert.equal(selectModelNotice(res({ status: 'selected', message, keyStatus: 'missing' }), 'K1').message, message);
  });

  it('falls back to the row of the list', () => {
    assert.equal(missingKey(res({ status: 'selected' }), { envKey: 'K2', keyStatus: 'missing' }), 'K2');
    assert.equal(missingKey(res({ status: 'selected' }), { envKey: 'K2', keyStatus: 'set' }), undefined);
  });

  it('says so and offers "Set the key" instead of plain success', () => {
    const n = selectModelNotice(res({ status: 'selected', model: 'qwen3-max', message: 'Selected qwen3-max.' }), 'E2E_KEY');
    assert.equal(n.level, 'warning');
    assert.match(n.message, /qwen3-max is selected, but its key E2E_KEY is not set/);
    assert.deepEqual(n.actions, ['Set the key']);
    assert.equal(noticeHeadline(n), '$(warning) Qwen: E2E_KEY not set');
    assert.equal(selectModelNotice(res({ status: 'selected' }), undefined).level, 'info');
  });
});

describe('Test connection results', () => {
  it('ok is info, an HTTP failure a warning with "Test again", a missing key offers "Set the key"', () => {
    assert.equal(probeNotice(probe({ ok: true, status: 'ok', failure: null, httpStatus: 200 })).level, 'info');
    assert.deepEqual(probeNotice(probe({})), { level: 'warning', message: 'The endpoint rejected the key sk-…abcd (HTTP 401).', actions: ['Test again', 'Show Output'] });
    assert.deepEqual(probeNotice(probe({ failure: 'no-key', httpStatus: null })).actions, ['Set the key']);
    assert.equal(probeNotice(probe({ status: 'error', failure: 'no-entry' })).level, 'error');
  });

  it('the status bar headline names the HTTP status or the latency', () => {
    assert.equal(noticeHeadline(probeNotice(probe({})), probe({})), '$(warning) Qwen: HTTP 401');
    const ok = probe({ ok: true, status: 'ok', failure: null, httpStatus: 200, latencyMs: 42 });
    assert.equal(noticeHeadline(probeNotice(ok), ok), '$(check) Qwen: connected in 42 ms');
    const dns = probe({ failure: 'dns', httpStatus: null });
    assert.equal(noticeHeadline(probeNotice(dns), dns), '$(warning) Qwen: dns');
  });
});

describe('wording', () => {
  it('names palette commands instead of CLI commands', () => {
    assert.equal(
      inEditorTerms('The key is not set. Run `qwen-ls auth coding-plan` or `qwen-ls auth api-key`.'),
      'The key is not set. Run "Qwen: Sign in".',
    );
    assert.equal(inEditorTerms('Sign in again with `qwen-ls auth qwen-oauth`.'), 'Sign in again with "Qwen: Sign in".');
    assert.equal(inEditorTerms('Check it with `qwen-ls model test`.'), 'Check it with "Qwen: Test connection".');
    assert.equal(inEditorTerms('No CLI here.'), 'No CLI here.');
    assert.equal(inEditorTerms('Fix it and try again, or save without the check (--no-verify).'), 'Fix it and try again, or save without the check ("Save anyway").');
  });

  it('the sign-out dialog says which key of which sign-in goes', () => {
    const text = signOutDetail({
      method: 'coding-plan', methodLabel: 'Alibaba Cloud Coding Plan', authType: 'openai', model: null, baseUrl: null,
      key: { envKey: 'BAILIAN_CODING_PLAN_API_KEY', present: true, source: '~/.qwen/.env', masked: 'sk-sp-…abcd' }, oauth: null, problems: [], complete: true,
    });
    assert.match(text, /Alibaba Cloud Coding Plan/);
    assert.match(text, /BAILIAN_CODING_PLAN_API_KEY in ~\/\.qwen\/\.env/);
    assert.match(text, /asks before touching a value you wrote by hand/);
  });
});

describe('the sign-out dialog from the server\'s plan', () => {
  it('lists what goes, flags hand-written values, what stays, and the auth type button', () => {
    const text = signOutDetail(undefined, {
      method: 'api-key', methodLabel: 'API Key', signedIn: true,
      removals: [
        { kind: 'env-file', path: '/h/.qwen/.env', name: 'OPENAI_API_KEY', attributable: true, label: 'OPENAI_API_KEY from ~/.qwen/.env' },
        { kind: 'env-file', path: '/h/.env', name: 'OPENAI_API_KEY', attributable: false, label: 'OPENAI_API_KEY from ~/.env' },
      ],
      keep: ['OPENAI_API_KEY is also set in the shell; unset it there. Run `qwen-ls auth status` to check.'],
      selectedType: { value: 'openai', files: ['/h/.qwen/settings.json'] },
    });
    assert.match(text, /^Signed in with API Key\./);
    assert.match(text, /• Remove OPENAI_API_KEY from ~\/\.qwen\/\.env\n/);
    assert.match(text, /• Remove OPENAI_API_KEY from ~\/\.env \(you wrote it by hand: asked first\)/);
    assert.match(text, /Stays: .*"Qwen: Show Auth Status"/);
    assert.match(text, /"Sign out and clear the auth type"/);
  });
});
