import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeviceProgress } from '../src/common/deviceProgress';
import type { ApiKeyPreset } from '../src/common/protocol';
import {
  CODING_PLAN_REGIONS,
  CUSTOM_URL,
  SIGN_IN_METHODS,
  codingPlanEndpointChoices,
  defaultCodingPlanEndpoint,
  baseUrlError,
  codingPlanKeyError,
  endpointChoices,
  envKeyError,
  storageChoices,
} from '../src/common/signInSteps';

describe('sign-in choices', () => {
  it('orders the methods by what works today: Coding Plan, API key, then the discontinued Qwen OAuth', () => {
    assert.deepEqual(SIGN_IN_METHODS.map((m) => m.value), ['coding-plan', 'api-key', 'qwen-oauth']);
    assert.deepEqual(SIGN_IN_METHODS.map((m) => m.label), ['Alibaba Cloud Coding Plan', 'API Key', 'Qwen OAuth']);
  });

  it('keeps every method\'s lines short enough to be read whole', () => {
    for (const m of SIGN_IN_METHODS) {
      assert.ok((m.detail ?? '').length <= 80, m.detail);
      assert.ok(m.label.length + (m.description ?? '').length <= 70, m.description);
    }
  });

  it('marks Qwen OAuth discontinued in full, on its own detail line short enough not to be cut off', () => {
    const oauth = SIGN_IN_METHODS[SIGN_IN_METHODS.length - 1];
    assert.equal(oauth.detail, 'Discontinued 2026-04-15, for deployments that still accept it.');
    // The quick pick is 600 px wide: about 80 characters of detail fit.
    assert.ok((oauth.detail ?? '').length <= 80, `${oauth.detail?.length}`);
  });

  it('offers both Coding Plan regions', () => {
    assert.deepEqual(CODING_PLAN_REGIONS.map((r) => [r.label, r.value]), [
      ['China (Beijing)', 'china'],
      ['International (Singapore)', 'intl'],
    ]);
  });
});

describe('codingPlanKeyError', () => {
  it('accepts sk-sp- keys', () => assert.equal(codingPlanKeyError('sk-sp-abc123'), undefined));
  it('rejects other keys with the CLI wording', () =>
    assert.equal(codingPlanKeyError('sk-abc'), 'Invalid API key. Coding Plan API keys start with "sk-sp-". Please check.'));
  it('asks for a key when empty', () => assert.match(codingPlanKeyError('  ') ?? '', /Enter/));
  it('never echoes the key', () => assert.ok(!(codingPlanKeyError('sk-zzzzsecret') ?? '').includes('zzzz')));
});

describe('other validators', () => {
  it('baseUrlError', () => {
    assert.equal(baseUrlError('http://127.0.0.1:8080/v1'), undefined);
    assert.match(baseUrlError('api.openai.com') ?? '', /Not a URL/);
    assert.match(baseUrlError('ftp://x') ?? '', /https/);
  });
  it('envKeyError', () => {
    assert.equal(envKeyError('OPENAI_API_KEY'), undefined);
    assert.match(envKeyError('1BAD') ?? '', /variable name/);
    assert.match(envKeyError('sk-abcdef') ?? '', /variable name|looks like a key/);
  });
});

describe('endpointChoices', () => {
  const presets: ApiKeyPreset[] = [
    { id: 'openrouter', label: 'OpenRouter', protocol: 'openai', baseUrls: [{ url: 'https://openrouter.ai/api/v1', label: 'OpenRouter' }], envKey: 'OPENROUTER_API_KEY', models: ['m1'] },
    { id: 'moonshot', label: 'Moonshot', protocol: 'openai', baseUrls: [{ url: 'https://api.moonshot.ai/v1', label: 'Global' }, { url: 'https://api.moonshot.cn/v1', label: 'China' }], envKey: 'MOONSHOT_API_KEY', models: [] },
    { id: 'claude', label: 'Anthropic', protocol: 'anthropic', baseUrls: [{ url: 'https://api.anthropic.com', label: 'Anthropic' }], envKey: 'ANTHROPIC_API_KEY', models: [] },
  ];
  it('lists the preset URLs of the protocol, then a custom URL', () => {
    const c = endpointChoices(presets, 'openai');
    assert.deepEqual(c.map((x) => x.label), ['OpenRouter', 'Moonshot — Global', 'Moonshot — China', '$(edit) Custom URL…']);
    assert.equal(c.at(-1)?.value, CUSTOM_URL);
  });
  it('offers only a custom URL without presets', () => {
    assert.equal(endpointChoices([], 'gemini').length, 1);
  });
});

describe('storageChoices', () => {
  it('offers the workspace only with a folder open', () => {
    assert.deepEqual(storageChoices('/ws', '~/.qwen').map((c) => c.value), ['workspace', 'user']);
    assert.deepEqual(storageChoices(undefined, '~/.qwen').map((c) => c.value), ['user']);
  });
});

describe('parseDeviceProgress', () => {
  for (const [message, expected] of [
    [
      'Open https://chat.qwen.ai/authorize?user_code=ABCD-1234&client=qwen-code and enter the code ABCD-1234',
      { url: 'https://chat.qwen.ai/authorize?user_code=ABCD-1234&client=qwen-code', userCode: 'ABCD-1234' },
    ],
    ['Visit http://127.0.0.1:9999/authorize?user_code=XY7Z-QQ12.', { url: 'http://127.0.0.1:9999/authorize?user_code=XY7Z-QQ12', userCode: 'XY7Z-QQ12' }],
    ['Code: WXYZ9876 — waiting for approval', { userCode: 'WXYZ9876' }],
    ['Requesting a device code…', {}],
    ['Waiting for you to approve the code in the browser', {}],
    [undefined, {}],
  ] as const) {
    it(String(message), () => assert.deepEqual(parseDeviceProgress(message), expected));
  }
});

describe('Coding Plan endpoint step', () => {
  it('offers the region default and a custom endpoint; the default is active', () => {
    const choices = codingPlanEndpointChoices('intl', undefined);
    assert.deepEqual(choices.map((c) => c.value.kind), ['region', 'custom']);
    assert.equal(choices[0].description, 'https://coding-intl.dashscope.aliyuncs.com/v1');
    assert.deepEqual(defaultCodingPlanEndpoint(choices, undefined), { kind: 'region' });
  });

  it('offers and pre-selects qwen.codingPlan.baseUrl when it is set', () => {
    const choices = codingPlanEndpointChoices('china', 'http://127.0.0.1:9/v1');
    assert.deepEqual(choices.map((c) => c.value.kind), ['region', 'setting', 'custom']);
    assert.deepEqual(defaultCodingPlanEndpoint(choices, undefined), { kind: 'setting', url: 'http://127.0.0.1:9/v1' });
  });

  it('keeps the earlier answer over the setting when the user comes back', () => {
    const choices = codingPlanEndpointChoices('china', 'http://127.0.0.1:9/v1');
    assert.deepEqual(defaultCodingPlanEndpoint(choices, { kind: 'custom' }), { kind: 'custom' });
  });

  it('does not offer the setting twice when it is the region URL', () => {
    assert.equal(codingPlanEndpointChoices('china', 'https://coding.dashscope.aliyuncs.com/v1').length, 2);
  });
});
