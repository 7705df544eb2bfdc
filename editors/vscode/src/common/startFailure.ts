/** The message for a server that was found but did not start, as pure logic (unit-tested). */

import type { ServerLaunch } from './serverResolution';

/** The last `max` characters of `text`, cut at a line start when one is near. */
export function tail(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const cut = text.slice(text.length - max);
  const nl = cut.indexOf('\n');
  return nl >= 0 && nl < 200 ? cut.slice(nl + 1) : cut;
}

const SOURCES: Record<ServerLaunch['source'], string> = {
  setting: 'from the setting qwen.server.command',
  bundled: 'bundled with the extension',
  path: 'found on PATH',
  python: 'found through python',
};

/**
 * "Qwen: the language server `X` (from the setting ...) did not start: it exited with code 3.
 * Its last output: ...". What to do next is in the message's buttons.
 */
export function startFailure(found: ServerLaunch, why: string, stderr: string): string {
  const last = tail(stderr.trim(), 400).replace(/\s+/g, ' ').trim();
  const hint = found.source === 'setting' ? ' Fix or clear qwen.server.command, then restart.' : '';
  const output = last ? ` Its last output: ${last}${/[.!?]$/.test(last) ? '' : '.'}` : '';
  return `Qwen: the language server "${found.display}" (${SOURCES[found.source]}) did not start: ${why}.${output}${hint}`;
}
