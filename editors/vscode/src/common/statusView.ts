/**
 * What the status bar item shows for an AuthStatus: `$(hubot) <model>`, a tooltip with the method,
 * base URL and key status (masked key only), and whether it needs the warning background.
 */

import type { AuthStatus, StartupResolution } from './protocol';
import { mask } from './redact';
import { inEditorTerms } from './wording';

export interface StatusView {
  text: string;
  tooltip: string;
  warning: boolean;
}

export const STARTING_VIEW: StatusView = {
  text: '$(sync~spin) Qwen',
  tooltip: 'Qwen: starting the qwen-ls language server…',
  warning: false,
};

export function stoppedView(reason: string): StatusView {
  return { text: '$(hubot) Qwen', tooltip: `Qwen: the language server is not running. ${reason}`, warning: true };
}

/** Label of the model: its id (names of preset models carry long `[Provider] ` prefixes). */
export function modelLabel(status: AuthStatus): string {
  return status.model?.id || status.model?.name || '';
}

function keyLine(status: AuthStatus): string | undefined {
  const key = status.key;
  if (!key) {
    return undefined;
  }
  if (!key.present) {
    return `Key: ${key.envKey} is not set`;
  }
  // The server sends a masked value; mask again in case an older server sends it whole.
  const shown = key.masked && key.masked.includes('…') ? key.masked : mask(key.masked);
  return `Key: ${key.envKey} = ${shown}${key.source ? ` (from ${key.source})` : ''}`;
}

/** What `qwen -p` does here, from the doctor's resolution (the same as `qwen-ls doctor`). */
export function startupLines(startup: StartupResolution | undefined): string[] {
  if (!startup) {
    return [];
  }
  if (!startup.starts) {
    return [`qwen -p stops: ${startup.stops ?? 'unknown reason'}`];
  }
  const parts = [startup.authType ?? '?', startup.model ?? '?'];
  if (startup.baseUrl) {
    parts.push(startup.baseUrl);
  }
  const lines = [`qwen -p uses: ${parts.join(' · ')}`];
  const key = startup.key;
  if (key.masked) {
    const shown = key.masked.includes('…') ? key.masked : mask(key.masked);
    const where = key.source?.file ?? key.source?.kind;
    lines.push(`qwen -p key: ${key.var ?? 'security.auth.apiKey'} = ${shown}${where ? ` (from ${where})` : ''}`);
  }
  for (const file of startup.rewrites) {
    lines.push(`qwen rewrites ${file} on start`);
  }
  return lines;
}

export function statusView(status: AuthStatus): StatusView {
  const label = modelLabel(status);
  const lines: string[] = [];
  if (notSignedIn(status)) {
    lines.push(status.method === 'none' ? 'Qwen Code: not signed in' : `Qwen Code: not signed in (${status.methodLabel || status.method} selected, no credential)`);
  } else {
    lines.push(`Qwen Code: ${status.methodLabel || status.method}`);
  }
  if (status.model) {
    lines.push(
      status.model.name && status.model.name !== status.model.id
        ? `Model: ${status.model.name} (${status.model.id})`
        : `Model: ${status.model.id}`,
    );
  }
  if (status.baseUrl) {
    lines.push(`Base URL: ${status.baseUrl}`);
  }
  const kl = keyLine(status);
  if (kl) {
    lines.push(kl);
  }
  if (status.oauth?.discontinued) {
    lines.push('Qwen OAuth: the hosted free tier ended on 2026-04-15');
  } else if (status.oauth?.expired) {
    lines.push('Qwen OAuth: the access token has expired');
  }
  for (const p of status.problems ?? []) {
    lines.push(`⚠ ${inEditorTerms(p)}`);
  }
  const startup = startupLines(status.startup);
  if (startup.length) {
    lines.push('', ...startup);
  }
  lines.push('', nextStep(status));
  // Not signed in: say so on the item itself (with the model, when one is chosen).
  const text = notSignedIn(status)
    ? label ? `$(hubot) ${label} · sign in` : '$(hubot) Qwen: sign in'
    : label ? `$(hubot) ${label}` : '$(hubot) Qwen';
  return { text, tooltip: lines.join('\n'), warning: !status.complete || status.startup?.starts === false };
}

/** `signedIn` from newer servers; older ones only know "no method". */
export function notSignedIn(status: AuthStatus): boolean {
  return status.signedIn === false || status.method === 'none';
}

/** The last tooltip line: what a click does, and the palette command for the next step. */
export function nextStep(status: AuthStatus): string {
  if (notSignedIn(status)) {
    return `${status.nextStep ? inEditorTerms(status.nextStep) : 'Run "Qwen: Sign in".'} Click to select a model.`;
  }
  if (!status.complete) {
    return 'Run "Qwen: Sign in" to finish the sign-in, or click to select another model.';
  }
  return 'Click to select a model · "Qwen: Test connection" checks the endpoint · "Qwen: Sign out"';
}

/** One-line summary for "Qwen: Show Auth Status". */
export function statusSummary(status: AuthStatus): string {
  const parts: string[] = [notSignedIn(status) ? 'Not signed in' : status.methodLabel || status.method];
  if (status.model) {
    parts.push(`model ${status.model.id}`);
  }
  if (status.baseUrl) {
    parts.push(status.baseUrl);
  }
  const kl = keyLine(status);
  if (kl) {
    parts.push(kl.replace(/^Key: /, 'key '));
  }
  let text = `Qwen: ${parts.join(' · ')}.`;
  if (status.problems?.length) {
    text += ` Problems: ${status.problems.map(inEditorTerms).join('; ')}`;
  } else if (notSignedIn(status)) {
    text += ` ${status.nextStep ? inEditorTerms(status.nextStep) : 'Run "Qwen: Sign in".'}`;
  } else if (status.complete && status.startup?.starts !== false) {
    text += ' Ready.';
  }
  const startup = startupLines(status.startup);
  if (startup.length) {
    text += ` ${startup.join('. ')}.`;
  }
  return text;
}
