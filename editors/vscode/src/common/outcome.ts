/**
 * What the extension shows after a server command, as plain data: which message, how loud, which
 * buttons. The vscode side (notices.ts, commands.ts) renders it. Kept pure so that the choices —
 * "Save anyway" only when the check failed, "Set the key" only when the key is missing, which
 * result replaces which — are unit-tested.
 */

import type { AuthStatus, ModelRow, ProbeResult, SignInResult, SignOutPlan } from './protocol';
import { inEditorTerms } from './wording';

export const SAVE_ANYWAY = 'Save anyway';
export const EDIT = 'Edit';
export const SET_THE_KEY = 'Set the key';
export const SHOW_OUTPUT = 'Show Output';
export const OPEN_SETTINGS = 'Open Settings';
export const TEST_AGAIN = 'Test again';

/** Coding Plan's own check (the server's older wording, before it sent `verify`). */
const CODING_PLAN_CHECK_FAILED = /^(Could not verify the key|The Coding Plan service at \S+ (rejected|answered))/;

/**
 * True when a sign-in was refused only because the key/URL check failed (nothing was written), so
 * "Save anyway" (the same call with `verify: false`) can still save it.
 */
export function checkFailed(result: SignInResult | undefined): boolean {
  if (!result || result.ok || result.status !== 'error') {
    return false;
  }
  if (result.verify && typeof result.verify === 'object') {
    return !result.verify.ok;
  }
  return CODING_PLAN_CHECK_FAILED.test(result.message ?? '');
}

export type Level = 'info' | 'warning' | 'error';

/** A result rendered for the user: one message, its level, and its buttons (in order). */
export interface Notice {
  level: Level;
  message: string;
  actions: string[];
  /** The short text of the status bar item (a default from the level when absent). */
  headline?: string;
}

/**
 * The answer to a sign-in: success with "Open Settings" when a settings file changed; a failed
 * check with "Save anyway" and "Edit"; other failures with "Edit" and "Show Output".
 */
export function signInNotice(result: SignInResult): Notice {
  const message = inEditorTerms(result.message || result.status);
  if (result.ok) {
    const settings = (result.files ?? []).some((f) => f.endsWith('settings.json'));
    return { level: 'info', message, actions: settings ? [OPEN_SETTINGS] : [] };
  }
  if (result.status === 'cancelled') {
    return { level: 'info', message, actions: [] };
  }
  if (checkFailed(result)) {
    const http = result.verify?.httpStatus;
    return { level: 'error', message, actions: [SAVE_ANYWAY, EDIT], headline: `$(error) Qwen: key check failed${http ? ` (HTTP ${http})` : ''}` };
  }
  return { level: 'error', message, actions: [EDIT, SHOW_OUTPUT], headline: `$(error) Qwen: ${result.status === 'signed-out' ? 'sign-out' : 'sign-in'} failed` };
}

/** The env var of the picked model when its key is missing: the server's answer first, else the row's. */
export function missingKey(result: SignInResult | undefined, row: Pick<ModelRow, 'envKey' | 'keyStatus'> | undefined): string | undefined {
  if (result && 'keyStatus' in result) {
    // The server answered the question (set, or null: no key needed); trust it over the older list.
    return result.keyStatus === 'missing' ? (result.setKey?.envKey || result.envKey || row?.envKey || undefined) : undefined;
  }
  return row?.keyStatus === 'missing' && row.envKey ? row.envKey : undefined;
}

/** "Qwen: Select Model" when the key of the picked model is missing: say so, offer to set it. */
export function selectModelNotice(result: SignInResult, envKey: string | undefined): Notice {
  const base = signInNotice(result);
  if (!result.ok || !envKey) {
    return base;
  }
  const model = result.model ? `${result.model} is selected` : 'The model is selected';
  const already = new RegExp(`${envKey}\\b.*not set`).test(base.message);
  return {
    level: 'warning',
    message: already ? base.message : `${model}, but its key ${envKey} is not set: qwen cannot use it until the key is there.`,
    actions: [SET_THE_KEY],
    headline: `$(warning) Qwen: ${envKey} not set`,
  };
}

/** "Test connection": info when it works, warning when the endpoint answered no, error otherwise. */
export function probeNotice(result: ProbeResult): Notice {
  const message = inEditorTerms(result.message || result.status);
  if (result.ok) {
    return { level: 'info', message, actions: [] };
  }
  if (result.status === 'cancelled') {
    return { level: 'info', message, actions: [] };
  }
  if (result.failure === 'no-key') {
    return { level: 'warning', message, actions: [SET_THE_KEY] };
  }
  return { level: result.status === 'failed' ? 'warning' : 'error', message, actions: [TEST_AGAIN, SHOW_OUTPUT] };
}

/** The short text of the notice's status bar item: `$(error) Qwen: HTTP 401`. */
export function noticeHeadline(notice: Notice, probe?: ProbeResult): string {
  const icon = notice.level === 'info' ? '$(check)' : notice.level === 'warning' ? '$(warning)' : '$(error)';
  if (probe) {
    if (probe.ok) {
      return `${icon} Qwen: connected${probe.latencyMs != null ? ` in ${probe.latencyMs} ms` : ''}`;
    }
    if (probe.httpStatus) {
      return `${icon} Qwen: HTTP ${probe.httpStatus}`;
    }
    return `${icon} Qwen: ${probe.failure ?? probe.status}`;
  }
  return notice.headline ?? `${icon} Qwen: ${notice.level === 'info' ? 'done' : notice.level === 'warning' ? 'needs attention' : 'failed'}`;
}

/** The detail of the "Sign out?" dialog: what the sign-out removes, and what it cannot. */
export function signOutDetail(status: AuthStatus | undefined, plan?: SignOutPlan): string {
  if (plan) {
    const lines = [`Signed in with ${plan.methodLabel || plan.method}.`];
    for (const r of plan.removals) {
      lines.push(`• Remove ${r.label}${r.attributable ? '' : ' (you wrote it by hand: asked first)'}`);
    }
    for (const k of plan.keep) {
      lines.push(`• Stays: ${inEditorTerms(k)}`);
    }
    if (plan.selectedType) {
      lines.push(`security.auth.selectedType is "${plan.selectedType.value}": "Sign out and clear the auth type" removes it too.`);
    }
    return lines.join('\n');
  }
  if (!status) {
    return 'qwen-ls removes what the current sign-in stored (the Qwen OAuth credentials, or the key variable it wrote to a .env file) and offers to clear security.auth.selectedType.';
  }
  const how = status.methodLabel || status.method;
  if (status.method === 'qwen-oauth') {
    return `Signed in with ${how}. qwen-ls removes the Qwen OAuth credentials (oauth_creds.json) and offers to clear security.auth.selectedType.`;
  }
  const key = status.key;
  const where = key?.source ? ` in ${key.source}` : '';
  const what = key?.envKey ? `the key ${key.envKey}${where}` : 'the stored key';
  return `Signed in with ${how}. qwen-ls removes ${what} when the sign-in wrote it (it asks before touching a value you wrote by hand) and offers to clear security.auth.selectedType.`;
}
