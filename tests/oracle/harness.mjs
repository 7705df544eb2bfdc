// The oracle: what the real Qwen Code CLI (npm @qwen-code/qwen-code, pinned in package-lock.json)
// would do when started non-interactively (`qwen -p`) for a given HOME, workspace and environment.
//
// It imports the CLI's own bundle chunks and runs the same steps as its start-up, in the same
// order: loadSettings (which migrates, may rewrite files, and loads .env files and settings.env
// into process.env), getSettingsWarnings, validateModelProvidersConfig, resolveCliGenerationConfig,
// a ModelsConfig built as Config builds it, validateNonInteractiveAuth's checks (auth type present,
// enforcedType, validateAuthMethod), then refreshAuth's model sync and credential validation. It
// stops before any network use: no content generator is created.
//
// The chunks' file names are content hashes that change with every build, so each module is found
// by the names its `export { ... }` block lists (see locateChunks).
//
// Protocol: one JSON case per stdin line, one JSON result per stdout line, many cases per process
// (importing the bundle costs ~2 s; a case costs a few ms).
//   case   {"id", "home", "cwd", "env": {NAME: value}, "argv": {"model"?, "authType"?}}
//   result {"id", "loadError", "fatal", "warnings", "stderr", "authType", "model", "baseUrl",
//           "keyVar", "keySource", "keySha256", "startError", "starts", "rewritten"}
// API keys never leave this process: only their SHA-256 is printed.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = process.env.QWEN_ORACLE_PACKAGE ?? path.join(HERE, "node_modules", "@qwen-code", "qwen-code");

// Each wanted export, by the chunk that defines it. Names are unique across the bundle's export blocks.
const WANTED = [
  "loadSettings",
  "getSettingsWarnings",
  "validateModelProvidersConfig",
  "ModelsConfig",
  "resolveCliGenerationConfig",
  "getAuthTypeFromEnv",
  "validateAuthMethod",
  "resolveContentGeneratorConfigWithSources",
  "resetHomeEnvBootstrapForTesting",
  "resetEnvironmentTrackingForTesting",
  "findEnvFiles",
  "getSettingsSchema",
];

/** Find, for every wanted name, the chunk whose trailing `export { ... }` block lists it. */
export function locateChunks(packageDir = PACKAGE_DIR, wanted = WANTED) {
  const dir = path.join(packageDir, "chunks");
  const found = {};
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith(".js")) continue;
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const at = text.lastIndexOf("\nexport {");
    if (at < 0) continue;
    const block = text.slice(at, text.indexOf("}", at));
    for (const name of wanted) {
      if (found[name]) continue;
      if (new RegExp(`[\\s,{]${name}(\\s+as\\s+\\w+)?\\s*[,\\n}]`).test(block + "}")) {
        found[name] = path.join(dir, file);
      }
    }
  }
  const missing = wanted.filter((name) => !found[name]);
  if (missing.length) throw new Error(`CLI bundle chunks not found for: ${missing.join(", ")}`);
  return found;
}

async function loadCli() {
  const where = locateChunks();
  const modules = {};
  const cli = {};
  for (const [name, file] of Object.entries(where)) {
    modules[file] ??= await import(pathToFileURL(file).href);
    cli[name] = modules[file][name];
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
  cli.version = pkg.version;
  cli.chunks = Object.fromEntries(Object.entries(where).map(([k, v]) => [k, path.basename(v)]));
  return cli;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** Content and mode of each file, to tell whether the CLI rewrote it. */
function snapshot(files) {
  const out = {};
  for (const file of files) {
    try {
      out[file] = { text: fs.readFileSync(file, "utf8"), mode: fs.statSync(file).mode & 0o777 };
    } catch {
      out[file] = null;
    }
  }
  return out;
}

function changedFiles(before, after) {
  const out = [];
  for (const [file, was] of Object.entries(before)) {
    const now = after[file];
    if (was && now && (was.text !== now.text || was.mode !== now.mode)) {
      out.push({ path: file, mode: now.mode.toString(8) });
    }
  }
  return out;
}

/** The .env file (in the CLI's own search order) that defines `name`, or null. */
function envFileDefining(cli, settings, cwd, name) {
  let files = [];
  try {
    files = cli.findEnvFiles(settings, cwd);
  } catch {
    return null;
  }
  // A definition with a value: an empty one is filled by the next file (loadEnvironment).
  const pattern = new RegExp(`^[ \\t]*(export[ \\t]+)?${name.replace(/[^\w]/g, "\\$&")}[ \\t]*=[ \\t]*[^\\s#]`, "m");
  for (const file of files) {
    try {
      if (pattern.test(fs.readFileSync(file, "utf8"))) return file;
    } catch {
      // unreadable: the CLI skips it too
    }
  }
  return null;
}

function keySource(cli, merged, cwd, shellEnv, keyVar, sources) {
  const apiKey = sources?.apiKey;
  if (!apiKey) return null;
  if (apiKey.kind !== "env") return { kind: apiKey.kind, via: apiKey.via?.kind ?? null };
  const name = apiKey.envKey ?? keyVar;
  if (Object.hasOwn(shellEnv, name) && shellEnv[name] !== "") return { kind: "shell", name };
  const file = envFileDefining(cli, merged, cwd, name);
  if (file) return { kind: "dotenv", name, file };
  return { kind: "settings.env", name };
}

async function runCase(cli, input) {
  const result = {
    id: input.id,
    loadError: null,
    fatal: null,
    warnings: [],
    stderr: [],
    authType: null,
    model: null,
    baseUrl: null,
    keyVar: null,
    keySource: null,
    keySha256: null,
    startError: null,
    starts: false,
    rewritten: [],
  };
  const home = path.resolve(input.home);
  const cwd = path.resolve(input.cwd ?? input.home);
  const shellEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    // Never read the machine's /etc/qwen-code: point the system files into the case.
    QWEN_CODE_SYSTEM_SETTINGS_PATH: path.join(home, ".oracle-system", "settings.json"),
    QWEN_CODE_SYSTEM_DEFAULTS_PATH: path.join(home, ".oracle-system", "system-defaults.json"),
    ...(input.env ?? {}),
  };
  const watched = [
    path.join(home, ".qwen", "settings.json"),
    path.join(cwd, ".qwen", "settings.json"),
    ...(shellEnv.QWEN_HOME ? [path.join(path.resolve(cwd, shellEnv.QWEN_HOME), "settings.json")] : []),
  ];
  const before = snapshot(watched);

  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, shellEnv);
  process.chdir(cwd);
  cli.resetHomeEnvBootstrapForTesting();
  cli.resetEnvironmentTrackingForTesting();

  const writeStderr = process.stderr.write;
  process.stderr.write = (chunk, ...rest) => {
    result.stderr.push(String(chunk).replace(/\n$/, ""));
    const callback = rest.find((arg) => typeof arg === "function");
    if (callback) callback();
    return true;
  };
  try {
    let settings;
    try {
      settings = cli.loadSettings(cwd);
    } catch (error) {
      result.loadError = String(error?.message ?? error);
      return result;
    }
    result.warnings.push(...cli.getSettingsWarnings(settings));
    const merged = settings.merged;
    const argv = input.argv ?? {};
    const selectedAuthType = argv.authType || merged.security?.auth?.selectedType || cli.getAuthTypeFromEnv();
    try {
      cli.validateModelProvidersConfig(merged.modelProviders, merged.providerProtocol);
    } catch (error) {
      result.fatal = String(error?.message ?? error);
      return result;
    }
    let resolved;
    try {
      resolved = cli.resolveCliGenerationConfig({ argv, settings: merged, selectedAuthType, env: process.env });
    } catch (error) {
      result.fatal = `An unexpected critical error occurred: ${error?.name ?? "Error"}: ${error?.message ?? error}`;
      result.authType = selectedAuthType ?? null;
      return result;
    }
    result.warnings.push(...resolved.warnings);

    // As Config's constructor builds it (packages/core/src/config/config.ts); its registry
    // throws on an entry without an id.
    let modelsConfig;
    try {
      modelsConfig = new cli.ModelsConfig({
      initialAuthType: resolved.authType,
      modelProvidersConfig: merged.modelProviders,
      providerProtocolConfig: merged.providerProtocol,
      generationConfig: { model: resolved.model, ...resolved.generationConfig, baseUrl: resolved.generationConfig?.baseUrl },
      generationConfigSources: resolved.sources,
      initialRegistryBaseUrl: resolved.registryBaseUrl,
      });
    } catch (error) {
      result.fatal = `An unexpected critical error occurred: ${error?.name ?? "Error"}: ${error?.message ?? error}`;
      return result;
    }
    const config = {
      getModelsConfig: () => modelsConfig,
      getProxy: () => merged.proxy,
      getReasoningSnapshot: () => undefined,
      getCurrentModelRegistryBaseUrl: () => modelsConfig.getCurrentRegistryBaseUrl(),
    };
    const authType = modelsConfig.getCurrentAuthType();
    result.authType = authType ?? null;
    result.model = modelsConfig.getModel();

    // validateNonInteractiveAuth (packages/cli/src/validateNonInterActiveAuth.ts).
    if (!authType) {
      result.startError =
        "No auth type is selected. Please configure an auth type (e.g. via settings or `--auth-type`) before running in non-interactive mode.";
      result.model = modelsConfig.getModel();
      return result;
    }
    const enforcedType = merged.security?.auth?.enforcedType;
    if (enforcedType && enforcedType !== authType) {
      result.startError = `The configured auth type is ${enforcedType}, but the current auth type is ${authType}. Please re-authenticate with the correct type.`;
      return result;
    }
    if (!merged.security?.auth?.useExternal) {
      const error = cli.validateAuthMethod(authType, config);
      if (error != null) {
        result.startError = String(error);
        result.model = modelsConfig.getModel();
        return result;
      }
    }
    // Config.refreshAuth up to (not including) createContentGenerator.
    try {
      modelsConfig.syncAfterAuthRefresh(authType, modelsConfig.getModel());
      const { config: generator, sources } = cli.resolveContentGeneratorConfigWithSources(
        config,
        authType,
        modelsConfig.getGenerationConfig(),
        modelsConfig.getGenerationConfigSources(),
        { strictModelProvider: modelsConfig.isStrictModelProviderSelection() },
      );
      result.authType = generator.authType ?? authType;
      result.model = generator.model ?? null;
      result.baseUrl = generator.baseUrl ?? null;
      result.keyVar = generator.apiKeyEnvKey ?? sources?.apiKey?.envKey ?? null;
      result.keySource = generator.apiKey ? keySource(cli, merged, cwd, shellEnv, result.keyVar, sources) : null;
      result.keySha256 = generator.apiKey ? sha256(generator.apiKey) : null;
      result.starts = true;
    } catch (error) {
      const generation = modelsConfig.getGenerationConfig();
      result.model = generation.model ?? null;
      result.baseUrl = generation.baseUrl ?? null;
      result.startError = String(error?.message ?? error);
    }
    return result;
  } finally {
    process.stderr.write = writeStderr;
    result.rewritten = changedFiles(before, snapshot(watched));
  }
}

async function main() {
  const cli = await loadCli();
  const args = process.argv.slice(2);
  if (args[0] === "--info") {
    process.stdout.write(JSON.stringify({ version: cli.version, chunks: cli.chunks }) + "\n");
    return;
  }
  if (args[0] === "--schema") {
    // getSettingsSchema() with its option generators evaluated: what tools/sync_cli.py turns into data.
    const schema = cli.getSettingsSchema();
    const plain = JSON.parse(
      JSON.stringify(schema, (key, value) => (typeof value === "function" ? safeCall(value) : value)),
    );
    process.stdout.write(JSON.stringify({ version: cli.version, schema: plain }) + "\n");
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const startDir = process.cwd();
  for await (const line of lines) {
    if (!line.trim()) continue;
    let output;
    try {
      output = await runCase(cli, JSON.parse(line));
    } catch (error) {
      output = { id: null, harnessError: String(error?.stack ?? error) };
    }
    process.chdir(startDir);
    process.stdout.write(JSON.stringify(output) + "\n");
  }
}

function safeCall(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(String(error?.stack ?? error) + "\n");
    process.exit(1);
  });
}
