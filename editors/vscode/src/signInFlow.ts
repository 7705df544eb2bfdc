/**
 * The steps of "Qwen: Sign in" as one flow: the method pick, then the Coding Plan or the API-key
 * steps, each with a Back button to the step before (the method pick included) and the earlier
 * answer kept. commands.ts runs the flow and sends the answers to the server.
 */

import * as os from 'os';
import * as vscode from 'vscode';
import type { ApiKeyPreset } from './common/protocol';
import { baseUrlOf, preset, type SignInState } from './common/signInState';
import { qwenHome, tildify } from './common/paths';
import {
  CODING_PLAN_REGIONS,
  CUSTOM_URL,
  DEFAULT_ENV_KEYS,
  PROTOCOLS,
  SIGN_IN_METHODS,
  apiKeyError,
  baseUrlError,
  codingPlanEndpointChoices,
  codingPlanKeyError,
  defaultCodingPlanEndpoint,
  endpointChoices,
  envKeyError,
  modelIdError,
  storageChoices,
  type EndpointValue,
  type SignInMethod,
} from './common/signInSteps';
import { answer, type Step } from './common/steps';
import { inputStep, pickStep } from './quickInput';
import { primaryWorkspaceFolder } from './serverCommand';

const TITLES: Record<SignInMethod, string> = {
  'coding-plan': 'Qwen: Sign in with Alibaba Cloud Coding Plan',
  'api-key': 'Qwen: Sign in with an API key',
  'qwen-oauth': 'Qwen: Sign in with Qwen OAuth',
};

/**
 * The URL of `qwen.codingPlan.baseUrl` from the user's own settings, when set. A workspace value
 * is never used: a cloned repository's .vscode/settings.json must not pre-select a host that the
 * user's Coding Plan key is then sent to.
 */
export function codingPlanSetting(): string | undefined {
  const url = vscode.workspace.getConfiguration('qwen').inspect<string>('codingPlan.baseUrl')?.globalValue;
  return typeof url === 'string' && url.trim() ? url.trim() : undefined;
}

const sameEndpoint = (a: EndpointValue | typeof CUSTOM_URL, b: EndpointValue | typeof CUSTOM_URL) =>
  a === b || (a !== CUSTOM_URL && b !== CUSTOM_URL && a.baseUrl === b.baseUrl);

/** Every step of the sign-in; `presets` are the server's API-key presets (may be empty). */
export function signInSteps(presets: ApiKeyPreset[]): Step<SignInState>[] {
  const method = (m: SignInMethod) => (s: SignInState) => s.method === m;
  const cp = method('coding-plan');
  const ak = method('api-key');
  const title = (s: SignInState) => (s.method ? TITLES[s.method] : 'Qwen: Sign in');
  return [
    {
      id: 'method',
      run: async (s, pos) => {
        const out = await pickStep(pos, { title: 'Qwen: Sign in', placeholder: 'Select authentication method', choices: SIGN_IN_METHODS, active: s.method });
        return answer(out, (v) => ({ ...s, method: v }));
      },
    },
    // ----------------------------------------------------------------------- Coding Plan
    {
      id: 'cp-region',
      when: cp,
      run: async (s, pos) => {
        const out = await pickStep(pos, { title: title(s), placeholder: 'Select the region of your Alibaba Cloud account', choices: CODING_PLAN_REGIONS, active: s.region });
        return answer(out, (v) => ({ ...s, region: v }));
      },
    },
    {
      id: 'cp-endpoint',
      when: cp,
      run: async (s, pos) => {
        const choices = codingPlanEndpointChoices(s.region ?? 'intl', codingPlanSetting());
        const out = await pickStep(pos, {
          title: title(s),
          placeholder: 'Endpoint (base URL) of the Coding Plan service: the region default, unless you use a proxy',
          choices,
          active: defaultCodingPlanEndpoint(choices, s.cpEndpoint),
          same: (a, b) => a.kind === b.kind,
        });
        return answer(out, (v) => ({ ...s, cpEndpoint: v }));
      },
    },
    {
      id: 'cp-custom-url',
      when: (s) => cp(s) && s.cpEndpoint?.kind === 'custom',
      continues: true,
      run: async (s, pos) => {
        const out = await inputStep(pos, {
          title: title(s),
          prompt: 'Base URL of the Coding Plan endpoint (also settable as qwen.codingPlan.baseUrl)',
          placeholder: 'https://coding-intl.dashscope.aliyuncs.com/v1',
          value: s.cpCustomUrl ?? codingPlanSetting(),
          validate: baseUrlError,
        });
        return answer(out, (v) => ({ ...s, cpCustomUrl: v }));
      },
    },
    {
      id: 'cp-key',
      when: cp,
      run: async (s, pos) => {
        const regionLabel = CODING_PLAN_REGIONS.find((r) => r.value === s.region)?.label ?? s.region;
        const out = await inputStep(pos, {
          title: title(s),
          prompt: `Coding Plan API key for ${regionLabel}. It is stored in a .env file, never in the output.`,
          placeholder: 'sk-sp-...',
          password: true,
          value: s.cpKey,
          validate: codingPlanKeyError,
        });
        return answer(out, (v) => ({ ...s, cpKey: v }));
      },
    },
    // ----------------------------------------------------------------------- API key
    {
      id: 'ak-protocol',
      when: ak,
      run: async (s, pos) => {
        const out = await pickStep(pos, { title: title(s), placeholder: 'Select the API protocol of your provider', choices: PROTOCOLS, active: s.protocol });
        // Another protocol: the answers that depend on it start from its defaults again.
        return answer(out, (v) => ({ ...s, ...(v !== s.protocol ? { endpoint: undefined, customUrl: undefined, modelId: undefined, envKey: undefined } : {}), protocol: v }));
      },
    },
    {
      id: 'ak-endpoint',
      when: ak,
      run: async (s, pos) => {
        const out = await pickStep(pos, {
          title: title(s),
          placeholder: 'Select the provider endpoint (base URL)',
          choices: endpointChoices(presets, s.protocol ?? 'openai'),
          active: s.endpoint,
          same: sameEndpoint,
        });
        // Another endpoint: its preset's model and variable are the defaults again.
        return answer(out, (v) => ({ ...s, ...(s.endpoint === undefined || !sameEndpoint(v, s.endpoint) ? { modelId: undefined, envKey: undefined } : {}), endpoint: v }));
      },
    },
    {
      id: 'ak-custom-url',
      when: (s) => ak(s) && s.endpoint === CUSTOM_URL,
      continues: true,
      run: async (s, pos) => {
        const out = await inputStep(pos, {
          title: title(s),
          prompt: 'Base URL of the endpoint',
          placeholder: s.protocol === 'openai' ? 'https://api.openai.com/v1' : 'https://…',
          value: s.customUrl,
          validate: baseUrlError,
        });
        return answer(out, (v) => ({ ...s, customUrl: v }));
      },
    },
    {
      id: 'ak-model',
      when: ak,
      run: async (s, pos) => {
        const suggested = preset(s)?.models ?? [];
        const out = await inputStep(pos, {
          title: title(s),
          prompt: suggested.length ? `Model id sent to the API (for example ${suggested.slice(0, 3).join(', ')})` : 'Model id sent to the API',
          value: s.modelId ?? suggested[0] ?? '',
          placeholder: 'gpt-4o',
          validate: modelIdError,
        });
        return answer(out, (v) => ({ ...s, modelId: v }));
      },
    },
    {
      id: 'ak-env-key',
      when: ak,
      run: async (s, pos) => {
        const out = await inputStep(pos, {
          title: title(s),
          prompt: 'Name of the environment variable that will hold the key (modelProviders[].envKey)',
          value: s.envKey ?? (preset(s)?.envKey || DEFAULT_ENV_KEYS[s.protocol ?? 'openai']),
          validate: envKeyError,
        });
        return answer(out, (v) => ({ ...s, envKey: v }));
      },
    },
    {
      id: 'ak-key',
      when: ak,
      run: async (s, pos) => {
        const out = await inputStep(pos, {
          title: title(s),
          prompt: `API key for ${baseUrlOf(s)} (stored as ${s.envKey}; never shown in the output)`,
          placeholder: 'sk-...',
          password: true,
          value: s.key,
          validate: apiKeyError,
        });
        return answer(out, (v) => ({ ...s, key: v }));
      },
    },
    {
      id: 'ak-storage',
      when: ak,
      run: async (s, pos) => {
        const home = tildify(qwenHome(process.env, os.homedir()), os.homedir());
        const out = await pickStep(pos, {
          title: title(s),
          placeholder: 'Where should the key and the model be saved?',
          choices: storageChoices(primaryWorkspaceFolder(), home),
          active: s.storage,
        });
        return answer(out, (v) => ({ ...s, storage: v }));
      },
    },
  ];
}

