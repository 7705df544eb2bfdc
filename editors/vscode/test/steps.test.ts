import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACK, CANCEL, answer, position, runSteps, stepTitle, value, type Step, type StepOutcome, type StepPosition } from '../src/common/steps';
import { apiKeyArgs, codingPlanArgs, setKeyFlow, setKeyState, type SignInState } from '../src/common/signInState';
import { CUSTOM_URL } from '../src/common/signInSteps';

type S = { a?: string; b?: string; custom?: string; c?: string };

/**
 * Steps that answer from a script: each call of a step takes the next scripted outcome for it
 * (a string is a value), and every call is recorded with the state and position it was shown with.
 */
function scripted(script: Record<string, (string | 'BACK' | 'CANCEL')[]>) {
  const calls: { id: string; state: S; pos: StepPosition }[] = [];
  const make = (id: keyof S, extra: Partial<Step<S>> = {}): Step<S> => ({
    id,
    ...extra,
    run: async (state, pos): Promise<StepOutcome<S>> => {
      calls.push({ id, state: { ...state }, pos });
      const next = script[id].shift();
      if (next === undefined) throw new Error(`no scripted answer left for ${id}`);
      if (next === 'BACK') return BACK;
      if (next === 'CANCEL') return CANCEL;
      return value({ ...state, [id]: next });
    },
  });
  const steps = [make('a'), make('b'), make('custom', { when: (s) => s.b === 'custom', continues: true }), make('c')];
  return { steps, calls };
}

describe('runSteps', () => {
  it('runs every shown step in order and returns the answers', async () => {
    const { steps, calls } = scripted({ a: ['1'], b: ['preset'], custom: [], c: ['3'] });
    assert.deepEqual(await runSteps(steps, {}), { a: '1', b: 'preset', c: '3' });
    assert.deepEqual(calls.map((c) => c.id), ['a', 'b', 'c']);
  });

  it('Back goes one shown step back, and that step sees its earlier answer', async () => {
    const { steps, calls } = scripted({ a: ['1'], b: ['x', 'y'], custom: [], c: ['BACK', '3'] });
    const out = await runSteps(steps, {});
    assert.deepEqual(out, { a: '1', b: 'y', c: '3' });
    assert.deepEqual(calls.map((c) => c.id), ['a', 'b', 'c', 'b', 'c']);
    // The second time b is shown, its earlier answer "x" is in the state (pre-filled).
    assert.equal(calls[3].state.b, 'x');
    // And c, shown again after Back, still sees what it was shown with before (nothing lost).
    assert.equal(calls[4].state.a, '1');
  });

  it('Back skips steps that the answers hide, and goes back into a sub-step that was shown', async () => {
    const { steps, calls } = scripted({ a: ['1'], b: ['custom', 'custom'], custom: ['http://x', 'BACK', 'http://y'], c: ['BACK', '3'] });
    const out = await runSteps(steps, {});
    assert.deepEqual(out, { a: '1', b: 'custom', custom: 'http://y', c: '3' });
    assert.deepEqual(calls.map((c) => c.id), ['a', 'b', 'custom', 'c', 'custom', 'b', 'custom', 'c']);
    assert.equal(calls[4].state.custom, 'http://x');
  });

  it('Back on the first step and Escape anywhere cancel', async () => {
    assert.equal(await runSteps(scripted({ a: ['BACK'], b: [], custom: [], c: [] }).steps, {}), undefined);
    assert.equal(await runSteps(scripted({ a: ['1'], b: ['CANCEL'], custom: [], c: [] }).steps, {}), undefined);
  });

  it('only steps after the first have a Back button', async () => {
    const { steps, calls } = scripted({ a: ['1'], b: ['x'], custom: [], c: ['3'] });
    await runSteps(steps, {});
    assert.deepEqual(calls.map((c) => c.pos.canGoBack), [false, true, true]);
  });

  it('startAt opens at a later step with Back to the ones before (Edit after a failed check)', async () => {
    const { steps, calls } = scripted({ a: ['2'], b: ['BACK', 'z'], custom: [], c: ['done'] });
    const out = await runSteps(steps, { a: '1', b: 'old' }, 'b');
    assert.deepEqual(out, { a: '2', b: 'z', c: 'done' });
    assert.deepEqual(calls.map((c) => c.id), ['b', 'a', 'b', 'c']);
    assert.equal(calls[0].pos.canGoBack, true);
    assert.equal(calls[0].state.b, 'old');
    assert.equal(calls[1].state.a, '1');
  });
});

describe('answer', () => {
  it('applies a value, passes Back and cancel through', () => {
    assert.deepEqual(answer(value(2), (v) => ({ n: v })), { kind: 'value', value: { n: 2 } });
    assert.equal(answer(BACK, () => ({})), BACK);
    assert.equal(answer(CANCEL, () => ({})), CANCEL);
  });
});

describe('step numbering', () => {
  const steps: Step<S>[] = [
    { id: 'a', run: async () => CANCEL },
    { id: 'b', run: async () => CANCEL },
    { id: 'custom', when: (s) => s.b === 'custom', continues: true, run: async () => CANCEL },
    { id: 'c', run: async () => CANCEL },
  ];

  it('a sub-step shares the number of the step before it', () => {
    const s = { b: 'custom' };
    assert.deepEqual([0, 1, 2, 3].map((i) => position(steps, i, s, true).number), [1, 2, 2, 3]);
    assert.equal(position(steps, 2, s, true).total, 3);
  });

  it('titles carry (n/N), a single step none', () => {
    assert.equal(stepTitle('Qwen: Sign in with an API key', { number: 2, total: 7, canGoBack: true }), 'Qwen: Sign in with an API key (2/7)');
    assert.equal(stepTitle('Qwen: Sign in', { number: 1, total: 1, canGoBack: false }), 'Qwen: Sign in');
  });
});

describe('sign-in answers to server arguments', () => {
  it('Coding Plan sends the custom endpoint as baseUrl, the setting too, the region default not at all', () => {
    const base: SignInState = { method: 'coding-plan', region: 'china', cpKey: 'sk-sp-x' };
    assert.deepEqual(codingPlanArgs({ ...base, cpEndpoint: { kind: 'region' } }), { region: 'china', key: 'sk-sp-x' });
    assert.deepEqual(codingPlanArgs({ ...base, cpEndpoint: { kind: 'custom' }, cpCustomUrl: 'http://127.0.0.1:1/v1' }).baseUrl, 'http://127.0.0.1:1/v1');
    assert.deepEqual(codingPlanArgs({ ...base, cpEndpoint: { kind: 'setting', url: 'https://proxy/v1' } }).baseUrl, 'https://proxy/v1');
  });

  it('API key takes the custom URL or the preset URL', () => {
    const s: SignInState = { method: 'api-key', protocol: 'openai', endpoint: CUSTOM_URL, customUrl: 'http://h/v1', modelId: 'm', envKey: 'K', key: 'sk-1', storage: 'user' };
    assert.deepEqual(apiKeyArgs(s), { protocol: 'openai', baseUrl: 'http://h/v1', modelId: 'm', envKey: 'K', key: 'sk-1', storage: 'user' });
    assert.equal(apiKeyArgs({ ...s, endpoint: { baseUrl: 'https://p/v1', preset: undefined } }).baseUrl, 'https://p/v1');
  });

  it('"Set the key" answers everything but the key from the model entry', () => {
    const state = setKeyState({ id: 'qwen3-max', protocol: 'openai', baseUrl: 'http://h/v1', envKey: 'E2E_KEY', scope: 'workspace' });
    assert.deepEqual(state, { method: 'api-key', protocol: 'openai', endpoint: CUSTOM_URL, customUrl: 'http://h/v1', modelId: 'qwen3-max', envKey: 'E2E_KEY', storage: 'workspace' });
    assert.equal(setKeyState({ id: 'x', protocol: 'qwen-oauth', baseUrl: null, envKey: null, scope: null }), undefined);
  });
});

describe('"Set the key" from the server', () => {
  it('opens the API-key flow at the key, the rest answered; Coding Plan at its first step', () => {
    const flow = setKeyFlow({ method: 'api-key', protocol: 'anthropic', baseUrl: 'http://h', modelId: 'claude', envKey: 'ANTHROPIC_API_KEY' });
    assert.equal(flow?.startAt, 'ak-key');
    assert.equal(flow?.state.protocol, 'anthropic');
    assert.equal(flow?.state.envKey, 'ANTHROPIC_API_KEY');
    assert.deepEqual(setKeyFlow({ method: 'coding-plan', protocol: 'openai', baseUrl: null, modelId: 'x', envKey: 'BAILIAN_CODING_PLAN_API_KEY' }), { state: { method: 'coding-plan' }, startAt: 'cp-region' });
  });
});
