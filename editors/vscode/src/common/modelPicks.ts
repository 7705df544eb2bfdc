/**
 * The "Qwen: Select Model" quick pick as plain data: rows grouped by protocol under separators,
 * the current model marked, and a description plus key status per row.
 */

import type { ModelList, ModelRow, SelectModelArgs } from './protocol';

export const PROTOCOL_LABELS: Record<string, string> = {
  openai: 'OpenAI-compatible',
  anthropic: 'Anthropic',
  gemini: 'Google GenAI (Gemini)',
  'qwen-oauth': 'Qwen OAuth',
};

export interface PickSeparator {
  kind: 'separator';
  label: string;
}

export interface PickRow {
  kind: 'item';
  label: string;
  description: string;
  detail: string;
  picked: boolean;
  args: SelectModelArgs;
}

export type PickEntry = PickSeparator | PickRow;

export function protocolLabel(protocol: string): string {
  return PROTOCOL_LABELS[protocol] ?? protocol;
}

function rowDetail(row: ModelRow): string {
  const parts: string[] = [];
  if (row.envKey) {
    parts.push(
      row.keyStatus === 'set'
        ? `$(key) ${row.envKey} set${row.keySource ? ` (${row.keySource})` : ''}`
        : `$(warning) ${row.envKey} not set`,
    );
  }
  if (row.baseUrl) {
    parts.push(row.baseUrl);
  }
  if (row.description) {
    parts.push(row.description);
  }
  return parts.join(' · ');
}

function rowDescription(row: ModelRow): string {
  const parts: string[] = [];
  if (row.current) {
    parts.push('(current)');
  }
  if (row.name && row.name !== row.id) {
    parts.push(row.name);
  }
  if (row.contextWindow) {
    parts.push(formatContext(row.contextWindow));
  }
  if (row.scope) {
    parts.push(row.scope);
  }
  return parts.join(' · ');
}

export function formatContext(tokens: number): string {
  if (tokens >= 1_000_000 && tokens % 1_000_000 === 0) {
    return `${tokens / 1_000_000}M ctx`;
  }
  if (tokens >= 1000) {
    return `${Math.round(tokens / 1000)}K ctx`;
  }
  return `${tokens} ctx`;
}

export function isCurrent(row: ModelRow, current: ModelList['current']): boolean {
  if (row.current) {
    return true;
  }
  return (
    !!current &&
    current.id === row.id &&
    current.protocol === row.protocol &&
    (current.baseUrl ?? null) === (row.baseUrl ?? null)
  );
}

export function modelPickEntries(list: ModelList): PickEntry[] {
  const entries: PickEntry[] = [];
  for (const group of list.groups) {
    if (!group.models.length) {
      continue;
    }
    entries.push({ kind: 'separator', label: protocolLabel(group.protocol) });
    for (const model of group.models) {
      const current = isCurrent(model, list.current);
      const row = { ...model, current };
      entries.push({
        kind: 'item',
        label: `${current ? '$(check)' : '$(blank)'} ${model.id}`,
        description: rowDescription(row),
        detail: rowDetail(row),
        picked: current,
        args: { id: model.id, protocol: model.protocol || group.protocol, baseUrl: model.baseUrl ?? undefined },
      });
    }
  }
  return entries;
}
