/**
 * The data and checks behind "Qwen: Sign in": the three methods in the wording users know from the
 * Qwen Code docs, the Coding Plan regions, the API-key protocol and endpoint choices, and the input
 * validators. The vscode wrappers in commands.ts only render these.
 */

import type { ApiKeyPreset, Protocol, Region } from './protocol';

export type SignInMethod = 'qwen-oauth' | 'coding-plan' | 'api-key';

export interface Choice<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export const QWEN_OAUTH_END_DATE = '2026-04-15';

/**
 * Ordered by what works today: Coding Plan and API keys first, the discontinued Qwen OAuth last.
 * The first row is the active one of the pick, so nothing steers a new user to Qwen OAuth; its
 * note sits in `detail`, short enough to be read whole in the pick's width.
 */
export const SIGN_IN_METHODS: Choice<SignInMethod>[] = [
  {
    label: 'Alibaba Cloud Coding Plan',
    description: 'Paid · up to 6,000 requests/5 hrs',
    detail: 'An sk-sp-… key from Alibaba Cloud ModelStudio: Qwen, GLM, Kimi, MiniMax…',
    value: 'coding-plan',
  },
  {
    label: 'API Key',
    description: 'Bring your own API key',
    detail: 'OpenAI, Anthropic, Gemini or a compatible endpoint (OpenRouter, self-hosted…).',
    value: 'api-key',
  },
  {
    label: 'Qwen OAuth',
    description: 'qwen.ai account, in a browser',
    detail: `Discontinued ${QWEN_OAUTH_END_DATE}, for deployments that still accept it.`,
    value: 'qwen-oauth',
  },
];

export const CODING_PLAN_REGIONS: Choice<Region>[] = [
  {
    label: 'China (Beijing)',
    description: 'Aliyun ModelStudio · bailian.console.aliyun.com',
    detail: 'https://coding.dashscope.aliyuncs.com/v1',
    value: 'china',
  },
  {
    label: 'International (Singapore)',
    description: 'Alibaba Cloud ModelStudio (intl) · bailian.console.alibabacloud.com',
    detail: 'https://coding-intl.dashscope.aliyuncs.com/v1',
    value: 'intl',
  },
];

/** The Coding Plan endpoint step: the region's URL, the `qwen.codingPlan.baseUrl` setting, or one typed in. */
export type CodingPlanEndpoint = { kind: 'region' } | { kind: 'setting'; url: string } | { kind: 'custom' };

export function codingPlanEndpointChoices(region: Region, settingUrl: string | undefined): Choice<CodingPlanEndpoint>[] {
  const regionUrl = CODING_PLAN_REGIONS.find((r) => r.value === region)?.detail ?? '';
  const out: Choice<CodingPlanEndpoint>[] = [
    { label: 'Default endpoint of the region', description: regionUrl, value: { kind: 'region' } },
  ];
  if (settingUrl && settingUrl !== regionUrl) {
    out.push({ label: 'Endpoint from the setting qwen.codingPlan.baseUrl', description: settingUrl, value: { kind: 'setting', url: settingUrl } });
  }
  out.push({ label: '$(edit) Custom endpoint…', description: 'A proxy or another Coding Plan-compatible base URL', value: { kind: 'custom' } });
  return out;
}

/** The endpoint row to make active: the earlier answer, else the setting when there is one. */
export function defaultCodingPlanEndpoint(choices: Choice<CodingPlanEndpoint>[], earlier: CodingPlanEndpoint | undefined): CodingPlanEndpoint {
  if (earlier) {
    return choices.find((c) => c.value.kind === earlier.kind)?.value ?? choices[0].value;
  }
  return choices.find((c) => c.value.kind === 'setting')?.value ?? choices[0].value;
}

export const PROTOCOLS: Choice<Protocol>[] = [
  { label: 'OpenAI-compatible', description: 'modelProviders.openai', detail: 'OpenAI, Azure OpenAI, OpenRouter, ModelScope, Alibaba Cloud, any OpenAI-compatible endpoint', value: 'openai' },
  { label: 'Anthropic', description: 'modelProviders.anthropic', detail: 'Anthropic Claude', value: 'anthropic' },
  { label: 'Google GenAI', description: 'modelProviders.gemini', detail: 'Google Gemini', value: 'gemini' },
];

export { DEFAULT_ENV_KEYS } from './protocol';

export const CUSTOM_URL = Symbol('custom-url');

export interface EndpointValue {
  baseUrl: string;
  preset: ApiKeyPreset | undefined;
}

/** Base-URL choices for a protocol: one row per preset URL, then "Custom URL…". */
export function endpointChoices(presets: ApiKeyPreset[], protocol: Protocol): Choice<EndpointValue | typeof CUSTOM_URL>[] {
  const out: Choice<EndpointValue | typeof CUSTOM_URL>[] = [];
  for (const preset of presets) {
    if (preset.protocol !== protocol) {
      continue;
    }
    for (const base of preset.baseUrls) {
      out.push({
        label: base.label && base.label !== preset.label ? `${preset.label} — ${base.label}` : preset.label,
        description: base.url,
        detail: preset.envKey ? `key in ${preset.envKey}${preset.models.length ? ` · models: ${preset.models.slice(0, 4).join(', ')}${preset.models.length > 4 ? ', …' : ''}` : ''}` : undefined,
        value: { baseUrl: base.url, preset },
      });
    }
  }
  out.push({ label: '$(edit) Custom URL…', description: 'Any compatible endpoint', value: CUSTOM_URL });
  return out;
}

export const CODING_PLAN_KEY_PREFIX = 'sk-sp-';

/** The CLI's own wording (`validateApiKey`). */
export function codingPlanKeyError(value: string): string | undefined {
  const v = value.trim();
  if (!v) {
    return 'Enter your Coding Plan API key (it starts with "sk-sp-").';
  }
  if (!v.startsWith(CODING_PLAN_KEY_PREFIX)) {
    return 'Invalid API key. Coding Plan API keys start with "sk-sp-". Please check.';
  }
  if (/\s/.test(v)) {
    return 'The key must not contain spaces.';
  }
  return undefined;
}

export function apiKeyError(value: string): string | undefined {
  const v = value.trim();
  if (!v) {
    return 'Enter the API key.';
  }
  if (/\s/.test(v)) {
    return 'The key must not contain spaces.';
  }
  return undefined;
}

export function baseUrlError(value: string): string | undefined {
  const v = value.trim();
  if (!v) {
    return 'Enter the base URL of the endpoint, for example https://api.openai.com/v1';
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'Not a URL. Enter the full base URL, for example https://api.openai.com/v1';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'The base URL must start with https:// (or http:// for a local endpoint).';
  }
  return undefined;
}

export function envKeyError(value: string): string | undefined {
  const v = value.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
    return 'Use an environment variable name: letters, digits and _, not starting with a digit (for example OPENAI_API_KEY).';
  }
  if (/^(sk-|AIza)/.test(v) || (v.length >= 24 && /[a-z]/.test(v) && /[0-9]/.test(v))) {
    return 'This looks like a key, not a variable name. Enter the name of the variable that will hold the key.';
  }
  return undefined;
}

export function modelIdError(value: string): string | undefined {
  return value.trim() ? undefined : 'Enter the model id sent to the API (for example gpt-4o).';
}

/** Storage choices for the API key: the workspace `.qwen/.env` only when a folder is open. */
export function storageChoices(workspaceFolder: string | undefined, qwenHomeLabel: string): Choice<'workspace' | 'user'>[] {
  const out: Choice<'workspace' | 'user'>[] = [];
  if (workspaceFolder) {
    out.push({
      label: 'This workspace',
      description: '.qwen/.env in the workspace folder',
      detail: 'The key and the model go to this project only. Keep .qwen/.env out of version control.',
      value: 'workspace',
    });
  }
  out.push({
    label: 'All projects (user)',
    description: `${qwenHomeLabel}/.env`,
    detail: 'The key and the model apply to every project.',
    value: 'user',
  });
  return out;
}
