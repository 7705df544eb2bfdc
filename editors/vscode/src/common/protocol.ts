/**
 * Shapes of the qwen-ls server commands and the `qwen/statusChanged` notification, as written in
 * docs/CONTRACTS.md. The extension calls exactly these ids; it never registers them itself (the
 * language client does, from the server's executeCommandProvider), so palette commands live in the
 * `qwen.` namespace and these in `qwen-ls.`.
 */

export const ServerCommands = {
  signInQwenOAuth: 'qwen-ls.signIn.qwenOAuth',
  signInCodingPlan: 'qwen-ls.signIn.codingPlan',
  signInApiKey: 'qwen-ls.signIn.apiKey',
  signOut: 'qwen-ls.signOut',
  authStatus: 'qwen-ls.authStatus',
  listModels: 'qwen-ls.listModels',
  selectModel: 'qwen-ls.selectModel',
  apiKeyPresets: 'qwen-ls.apiKeyPresets',
  doctor: 'qwen-ls.doctor',
  /** The "Sign in…" quick fix: the extension runs its own flow instead (client.ts middleware). */
  signIn: 'qwen-ls.signIn',
  testConnection: 'qwen-ls.testConnection',
} as const;

export const StatusChangedNotification = 'qwen/statusChanged';

export type Protocol = 'openai' | 'anthropic' | 'gemini';
export type Region = 'china' | 'intl';

/** The variable each protocol reads its key from when an entry names no `envKey` (the CLI's defaults). */
export const DEFAULT_ENV_KEYS: Record<Protocol, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

export interface QwenOAuthArgs {
  baseUrl?: string;
  openBrowser?: boolean;
}

export interface CodingPlanArgs {
  region: Region;
  key: string;
  baseUrl?: string;
  verify?: boolean;
  storage?: 'env-file' | 'settings';
}

export interface ApiKeyArgs {
  protocol: Protocol;
  baseUrl: string;
  modelId: string;
  envKey?: string;
  key: string;
  storage?: 'workspace' | 'user';
  name?: string;
  /** Check the key and URL first (the Test connection request); false: "Save anyway". */
  verify?: boolean;
}

export interface SelectModelArgs {
  id: string;
  protocol?: string;
  baseUrl?: string | null;
}

export interface SignInResult {
  ok: boolean;
  status: 'signed-in' | 'cancelled' | 'error' | 'signed-out' | 'selected' | 'planned';
  message: string;
  files: string[];
  model?: string;
  /** Set when a sign-in was refused because the key/URL check failed: nothing was written. */
  verify?: ProbeResult;
  /** selectModel: whether the picked model's key is set (null: it needs none). */
  keyStatus?: 'set' | 'missing' | null;
  envKey?: string | null;
  /** selectModel: non-null when the key is missing, the answers for "Set the key". */
  setKey?: SetKey | null;
}

export interface SetKey {
  method: 'coding-plan' | 'api-key';
  protocol: string;
  baseUrl: string | null;
  modelId: string;
  envKey: string;
}

export interface SignOutArgs {
  dryRun?: boolean;
  /** Remove (true) or keep (false) a value qwen-ls did not write; absent: the server asks. */
  confirmed?: boolean;
  /** Clear security.auth.selectedType too; absent: the server asks. */
  clearSelectedType?: boolean;
}

export interface SignOutPlan {
  method: AuthMethod;
  methodLabel: string;
  signedIn: boolean;
  removals: { kind: 'oauth-creds' | 'env-file' | 'settings-env'; path: string; name: string | null; attributable: boolean; label: string }[];
  keep: string[];
  selectedType: { value: string; files: string[] } | null;
}

export interface SignOutResult extends SignInResult {
  plan?: SignOutPlan;
  removed?: string[];
  kept?: string[];
  selectedTypeCleared?: boolean;
  signedIn?: boolean;
}

/** Argument of `qwen-ls.testConnection` (one of the forms; see /work/coord/CONTRACT-12.md). */
export interface TestConnectionArgs {
  uri?: string;
  path?: (string | number)[];
  modelId?: string;
  protocol?: string;
  baseUrl?: string | null;
  confirmed?: boolean;
  timeoutMs?: number;
}

export type ProbeFailure =
  | 'no-entry' | 'no-key' | 'bad-url' | 'auth' | 'not-found' | 'rate-limited' | 'server' | 'http'
  | 'redirect' | 'timeout' | 'tls' | 'dns' | 'refused' | 'network' | 'html' | 'bad-json' | 'too-large'
  | 'needs-confirmation';

/** The `qwen-ls.testConnection` result: one cheap authenticated request, keys masked. */
export interface ProbeResult {
  ok: boolean;
  status: 'ok' | 'failed' | 'cancelled' | 'error';
  failure: ProbeFailure | null;
  message: string;
  protocol: string | null;
  modelId: string | null;
  baseUrl: string | null;
  url: string | null;
  host: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  modelListed: boolean | null;
  closest: string[];
  modelCount: number | null;
  key: { envKey: string | null; source: string | null; masked: string | null } | null;
  uri: string | null;
  path: (string | number)[] | null;
}

export type AuthMethod = 'qwen-oauth' | 'coding-plan' | 'token-plan' | 'api-key' | 'none';

export interface AuthStatus {
  method: AuthMethod;
  methodLabel: string;
  authType: string | null;
  model: { id: string; name: string } | null;
  baseUrl: string | null;
  key: { envKey: string; present: boolean; source: string | null; masked: string | null } | null;
  oauth: { expiresAt: number | string | null; expired: boolean; discontinued: boolean } | null;
  problems: string[];
  complete: boolean;
  /** A method is selected and its credential is present (newer servers). */
  signedIn?: boolean;
  /** When not signed in: the next step, in editor wording (newer servers). */
  nextStep?: string | null;
  /** What `qwen -p` does when started here (`qwen-ls doctor`'s resolution); newer servers only. */
  startup?: StartupResolution;
}

/** `qwen-ls doctor --format json` without its problems; keys are masked by the server. */
export interface StartupResolution {
  starts: boolean;
  stops: string | null;
  authType: string | null;
  model: string | null;
  baseUrl: string | null;
  key: { var: string | null; masked: string | null; source: { kind: string; name: string | null; file: string | null } | null };
  rewrites: string[];
}

/** The `qwen-ls.doctor` answer: the resolution and every problem across scopes. */
export interface DoctorReport extends StartupResolution {
  problems: { scope: string; path: string; line: number; column: number; code: string; severity: string; message: string }[];
}

export interface ModelRow {
  id: string;
  name: string;
  description: string | null;
  protocol: string;
  baseUrl: string | null;
  contextWindow: number | null;
  envKey: string | null;
  keyStatus: 'set' | 'missing';
  keySource: string | null;
  scope: string | null;
  scopeFile: string | null;
  current: boolean;
}

export interface ModelList {
  current: { id: string; protocol: string; baseUrl: string | null } | null;
  groups: { protocol: string; models: ModelRow[] }[];
}

export interface ApiKeyPreset {
  id: string;
  label: string;
  protocol: Protocol;
  baseUrls: { url: string; label: string }[];
  envKey: string;
  models: string[];
}
