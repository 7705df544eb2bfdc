/**
 * Reads the user code and verification URL out of the server's work-done progress messages during
 * the Qwen OAuth device flow (`$/progress` carries only free text).
 */

export interface DeviceCode {
  userCode?: string;
  url?: string;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/;
const CODE_IN_URL_RE = /[?&]user_code=([^&\s#]+)/;
const CODE_IN_TEXT_RE = /\b[Cc]ode\b[^A-Za-z0-9]{0,6}([A-Z0-9]{3,}(?:-[A-Z0-9]{2,})*)\b/;

export function parseDeviceProgress(message: string | undefined): DeviceCode {
  if (!message) {
    return {};
  }
  const out: DeviceCode = {};
  const url = URL_RE.exec(message)?.[0]?.replace(/[.,;:]+$/, '');
  if (url) {
    out.url = url;
  }
  const text = url ? message.replace(url, ' ') : message;
  const fromText = CODE_IN_TEXT_RE.exec(text)?.[1];
  const fromUrl = url ? CODE_IN_URL_RE.exec(url)?.[1] : undefined;
  const code = fromText ?? (fromUrl ? decodeURIComponent(fromUrl) : undefined);
  if (code) {
    out.userCode = code;
  }
  return out;
}
