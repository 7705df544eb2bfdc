/**
 * Masking of API keys and tokens before any text reaches the output channel, a trace or a message.
 * Mirrors `qwen_ls/secrets.py`: `mask("sk-abcdef1a2b")` is `sk-…1a2b`.
 */

const SECRET_PATTERNS: RegExp[] = [
  // OpenAI / DashScope / Coding Plan / Anthropic style keys: sk-..., sk-sp-..., sk-ant-...
  /\bsk-[A-Za-z0-9_-]{6,}/g,
  // Google API keys
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  // Bearer tokens and JWT-like blobs
  /(?<=[Bb]earer )[A-Za-z0-9._-]{12,}/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,}/g,
];

/** Argument fields of the sign-in commands that carry a secret (they show up in LSP traces). */
const SECRET_FIELD = /("(?:key|apiKey|token|access_token|refresh_token)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;

/** The display form of a secret that cannot be used: first 3 + `…` + last 4, `***` when short. */
export function mask(value: string | null | undefined): string {
  if (!value) {
    return '(not set)';
  }
  const v = value.trim();
  if (v.length <= 8) {
    return '***';
  }
  return `${v.slice(0, 3)}…${v.slice(-4)}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks every secret-shaped substring, every secret-carrying JSON field and every secret it was
 * told about. One instance lives in the log module; the sign-in commands `remember` each key they
 * collect before it is sent, so a verbose LSP trace cannot print it.
 */
export class Redactor {
  private readonly known = new Set<string>();
  private knownRe: RegExp | undefined;

  remember(secret: string | null | undefined): void {
    const s = secret?.trim();
    if (!s || s.length < 6 || this.known.has(s)) {
      return;
    }
    this.known.add(s);
    const alternatives = [...this.known].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.knownRe = new RegExp(alternatives.join('|'), 'g');
  }

  redact(text: string): string {
    let out = text;
    if (this.knownRe) {
      out = out.replace(this.knownRe, (m) => mask(m));
    }
    out = out.replace(SECRET_FIELD, (_m, pre: string, value: string, post: string) =>
      value.includes('…') || value.length === 0 ? `${pre}${value}${post}` : `${pre}${mask(value)}${post}`,
    );
    for (const pattern of SECRET_PATTERNS) {
      out = out.replace(pattern, (m) => (m.includes('…') ? m : mask(m)));
    }
    return out;
  }
}
