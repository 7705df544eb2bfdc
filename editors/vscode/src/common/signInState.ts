/**
 * The answers of "Qwen: Sign in" (common/steps.ts runs the steps that fill them) and the server
 * command arguments they become.
 */

import type { ApiKeyArgs, ApiKeyPreset, CodingPlanArgs, Protocol, Region, SetKey } from './protocol';
import { CUSTOM_URL, type CodingPlanEndpoint, type EndpointValue, type SignInMethod } from './signInSteps';

export interface SignInState {
  method?: SignInMethod;
  // Coding Plan
  region?: Region;
  cpEndpoint?: CodingPlanEndpoint;
  cpCustomUrl?: string;
  cpKey?: string;
  // API key
  protocol?: Protocol;
  endpoint?: EndpointValue | typeof CUSTOM_URL;
  customUrl?: string;
  modelId?: string;
  envKey?: string;
  key?: string;
  storage?: 'workspace' | 'user';
}

export function preset(s: SignInState): ApiKeyPreset | undefined {
  return s.endpoint && s.endpoint !== CUSTOM_URL ? s.endpoint.preset : undefined;
}

export function baseUrlOf(s: SignInState): string {
  return s.endpoint === CUSTOM_URL || s.endpoint === undefined ? (s.customUrl ?? '') : s.endpoint.baseUrl;
}

export function codingPlanArgs(s: SignInState): CodingPlanArgs {
  const endpoint = s.cpEndpoint;
  const baseUrl = endpoint?.kind === 'custom' ? s.cpCustomUrl : endpoint?.kind === 'setting' ? endpoint.url : undefined;
  return { region: s.region ?? 'intl', key: s.cpKey ?? '', ...(baseUrl ? { baseUrl } : {}) };
}

export function apiKeyArgs(s: SignInState): ApiKeyArgs {
  return {
    protocol: s.protocol ?? 'openai',
    baseUrl: baseUrlOf(s),
    modelId: s.modelId ?? '',
    envKey: s.envKey,
    key: s.key ?? '',
    storage: s.storage,
  };
}

/**
 * "Set the key" for a configured model whose key is missing: the API-key flow with everything but
 * the key answered from the model's entry (Back still reaches every answer). None for an entry
 * the API-key flow cannot write (no base URL, or a protocol it does not know).
 */
export function setKeyState(row: { id: string; protocol: string; baseUrl: string | null; envKey: string | null; scope: string | null }): SignInState | undefined {
  if (!row.baseUrl || !row.envKey || !['openai', 'anthropic', 'gemini'].includes(row.protocol)) {
    return undefined;
  }
  return {
    method: 'api-key',
    protocol: row.protocol as Protocol,
    endpoint: CUSTOM_URL,
    customUrl: row.baseUrl,
    modelId: row.id,
    envKey: row.envKey,
    storage: row.scope === 'workspace' ? 'workspace' : 'user',
  };
}

/** "Set the key" from the server's `setKey` answer: the flow to run and the step to open at. */
export function setKeyFlow(setKey: SetKey): { state: SignInState; startAt: string } | undefined {
  if (setKey.method === 'coding-plan') {
    return { state: { method: 'coding-plan' }, startAt: 'cp-region' };
  }
  const state = setKeyState({ id: setKey.modelId, protocol: setKey.protocol, baseUrl: setKey.baseUrl, envKey: setKey.envKey, scope: null });
  return state ? { state, startAt: 'ak-key' } : undefined;
}
