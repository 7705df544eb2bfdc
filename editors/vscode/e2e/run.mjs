#!/usr/bin/env node
// End-to-end test of the Qwen extension in a real VS Code: code-server 4.100.3 (installed by
// scripts/setup-e2e.sh) driven through Debian's Chromium with playwright-core. It installs nothing
// but the per-platform .vsix that `make vsix` built (dist/qwen-ls-<platform>.vsix), and hides every
// Python from the extension host: the extension must find and run the frozen server it carries.
// Run scripts/setup-e2e.sh and `make vsix` first.
//
//   node e2e/run.mjs [--vsix FILE] [--result FILE] [--artifacts DIR] [--update-images] [--keep]
//
// Writes one screenshot per step to test-artifacts/vscode/ and a JSON result file
// ({ok, steps:[{name, ok, ms, detail}], durationMs, error}). Exit code 0 only when every step passed.
// Every wait is a condition with a deadline; there are no fixed sleeps.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, '..');
const repoRoot = path.resolve(extRoot, '..', '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const artifacts = path.resolve(opt('--artifacts', path.join(repoRoot, 'test-artifacts', 'vscode')));
const resultFile = path.resolve(opt('--result', path.join(artifacts, 'result.json')));
const updateImages = argv.includes('--update-images');
const keep = argv.includes('--keep');

const CODE_SERVER = path.join(extRoot, '.e2e', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.QWEN_LS_E2E_CHROMIUM || '/usr/bin/chromium';
const VSIX = path.resolve(opt('--vsix', path.join(repoRoot, 'dist', `qwen-ls-${process.platform}-${process.arch}.vsix`)));
/** How long the extension waits for a hung server's "initialize" (START_TIMEOUT_MS in client.ts). */
const SERVER_START_TIMEOUT_MS = 20_000;
const USER_CODE = 'QWEN-E2E7';
/** Typed into the API-key flow; the stub rejects it (401), so the flow offers "Save anyway". */
const API_SECRET = 'sk-e2e-secret-0123456789abcdef';
const STUB_KEY = 'sk-e2e-stub-key-00000001';
/** A key the stub rejects, in the workspace .env for the entry that must test as a 401. */
const BAD_KEY = 'sk-e2e-revoked-key-0000099';
/** The Coding Plan key typed into the sign-in (the stub accepts it at its /coding/v1 endpoint). */
const CP_KEY = 'sk-sp-e2e-coding-plan-key-0001';
/** Typed after "Set the key" for the entry whose key is missing. */
const SET_KEY = 'sk-e2e-set-later-key-000000042';
/** Keys the stub's model lists accept, for every protocol (Bearer, x-api-key, x-goog-api-key). */
const GOOD_KEYS = new Set([STUB_KEY, CP_KEY, SET_KEY]);

const started = Date.now();
const result = { ok: false, steps: [], durationMs: 0, error: null, artifacts, runDir: null, versions: {} };
const cleanups = [];
/** The page, for a screenshot when a step fails. */
let currentPage;

function log(msg) {
  process.stdout.write(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
}

function writeResult() {
  result.durationMs = Date.now() - started;
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2) + '\n');
}

// ------------------------------------------------------------------------------------ helpers

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

async function until(what, fn, timeoutMs = 30_000, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
  return r.stdout;
}

// ------------------------------------------------------------------------------------ stubs

/** An OpenAI-compatible provider and a Qwen OAuth device-flow service on one loopback port. */
async function startStubs() {
  const state = { approved: false, requests: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://stub');
      state.requests.push(`${req.method} ${url.pathname}`);
      const send = (status, obj) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (url.pathname.endsWith('/models') && req.method === 'GET') {
        // The one cheap authenticated request of "Test connection" and of the sign-in checks,
        // in each protocol's way of sending the key.
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const key = bearer ?? req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? '';
        const protocol = req.headers['x-goog-api-key'] ? 'gemini' : req.headers['x-api-key'] ? 'anthropic' : 'openai';
        state.requests.push(`models ${protocol} ${url.pathname} ${GOOD_KEYS.has(key) ? 'good-key' : 'bad-key'}`);
        if (!GOOD_KEYS.has(key)) {
          return send(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
        }
        if (protocol === 'gemini') {
          return send(200, { models: ['gemini-e2e', 'gemini-e2e-pro'].map((id) => ({ name: `models/${id}` })) });
        }
        if (protocol === 'anthropic') {
          return send(200, { data: ['claude-e2e', 'claude-e2e-haiku'].map((id) => ({ id, type: 'model' })), has_more: false });
        }
        const ids = url.pathname.startsWith('/coding/')
          ? ['qwen3-coder-plus', 'qwen3-coder-next', 'qwen3-max', 'glm-4.7', 'kimi-k2.5']
          : ['stub-model-1', 'stub-model-2', 'qwen3-coder-plus', 'qwen3-max', 'e2e-no-key'];
        return send(200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'stub' })) });
      }
      if (url.pathname.endsWith('/chat/completions') && req.method === 'POST') {
        return send(200, { id: 'c1', object: 'chat.completion', model: 'stub-model-1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
      }
      if (url.pathname === '/api/v1/oauth2/device/code' && req.method === 'POST') {
        const base = `http://127.0.0.1:${server.address().port}`;
        return send(200, {
          device_code: 'e2e-device-code',
          user_code: USER_CODE,
          verification_uri: `${base}/authorize`,
          verification_uri_complete: `${base}/authorize?user_code=${USER_CODE}&client=qwen-code`,
          expires_in: 600,
        });
      }
      if (url.pathname === '/api/v1/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') === 'refresh_token' || state.approved) {
          return send(200, { access_token: 'e2e-access-token-abcdef', refresh_token: 'e2e-refresh-token-abcdef', token_type: 'Bearer', expires_in: 3600, resource_url: `127.0.0.1:${server.address().port}` });
        }
        return send(400, { error: 'authorization_pending', error_description: 'waiting for the user' });
      }
      if (url.pathname === '/authorize') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>Stub authorization page</h1></body></html>');
      }
      return send(404, { error: 'not_found' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${server.address().port}`, state };
}

// ------------------------------------------------------------------------------------ setup

function checkPrerequisites() {
  const missing = [];
  if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server (${CODE_SERVER})`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (!fs.existsSync(path.join(extRoot, 'node_modules', 'playwright-core'))) missing.push('editors/vscode/node_modules');
  if (!fs.existsSync(VSIX)) missing.push(`the per-platform extension (${VSIX}); run "make vsix"`);
  if (missing.length) {
    throw new Error(`missing: ${missing.join(', ')}. Run editors/vscode/scripts/setup-e2e.sh first.`);
  }
}

function makeWorkspace(runDir, stubUrl) {
  const home = path.join(runDir, 'home');
  const project = path.join(home, 'project');
  fs.mkdirSync(path.join(project, '.qwen'), { recursive: true });
  fs.mkdirSync(path.join(home, '.qwen'), { recursive: true });
  const settings = `{
  // Qwen Code settings of the e2e project: the comments must survive every edit.
  "modelProviders": {
    "openai": [
      {
        "id": "qwen3-coder-plus",
        "name": "Qwen3 Coder Plus (stub)",
        "baseUrl": "${stubUrl}/v1",
        "envKey": "E2E_STUB_API_KEY"
      },
      {
        "id": "qwen3-max",
        "name": "Qwen3 Max (stub)",
        "baseUrl": "${stubUrl}/v1",
        "envKey": "E2E_STUB_API_KEY"
      },
      { "id": "e2e-revoked", "baseUrl": "${stubUrl}/v1", "envKey": "E2E_REVOKED_API_KEY" },
      { "id": "e2e-no-key", "baseUrl": "${stubUrl}/v1", "envKey": "E2E_MISSING_API_KEY" }
    ],
    "anthropic": [ { "id": "claude-e2e", "baseUrl": "${stubUrl}/anthropic", "envKey": "E2E_STUB_API_KEY" } ],
    "gemini": [ { "id": "gemini-e2e", "baseUrl": "${stubUrl}/gemini", "envKey": "E2E_STUB_API_KEY" } ]
  },
  "security": { "auth": { "selectedType": "openai" } },
  "model": {
    // a typo: matches no configured model id
    "name": "qwen3-coder-typo"
  }
}
`;
  const settingsFile = path.join(project, '.qwen', 'settings.json');
  fs.writeFileSync(settingsFile, settings);
  // A second settings file with a trailing comma: reported once by qwen-ls (QLS002), and a
  // second time by VS Code's JSON server only when the file is put back into "JSON with Comments".
  fs.mkdirSync(path.join(project, 'sub', '.qwen'), { recursive: true });
  fs.writeFileSync(path.join(project, 'sub', '.qwen', 'settings.json'), '{\n  "ui": { "hideTips": true, }\n}\n');
  fs.writeFileSync(path.join(project, '.qwen', '.env'), `E2E_STUB_API_KEY=${STUB_KEY}\nE2E_REVOKED_API_KEY=${BAD_KEY}\n`, { mode: 0o600 });
  // VS Code's server resolves the login shell's environment for the extension host, and Debian's
  // /etc/profile resets PATH: the profile sets the PATH without any Python, so that the only server
  // the extension can find is the one in the .vsix.
  const profile = `export PATH="${noPythonBin(home)}"\n`;
  fs.writeFileSync(path.join(home, '.profile'), profile);
  fs.writeFileSync(path.join(home, '.bashrc'), profile);
  return { home, project, settingsFile };
}

/**
 * A bin folder with the few tools a shell needs and no Python (nor qwen-ls): the PATH of code-server
 * and of its extension host. Node stays reachable by its absolute path (code-server runs on it).
 */
function noPythonBin(home) {
  const bin = path.join(home, 'bin-without-python');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(bin, { recursive: true });
    for (const tool of ['sh', 'bash', 'env', 'cat', 'ls', 'sleep', 'node', 'rg', 'git']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found) fs.symlinkSync(found, path.join(bin, tool));
    }
  }
  return bin;
}

/** Every python* executable on a PATH (what the extension host could run). */
function pythonsOn(envPath) {
  const found = [];
  for (const dir of (envPath ?? '').split(path.delimiter).filter(Boolean)) {
    let entries = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) if (/^(python[0-9.]*|qwen-ls)$/.test(e)) found.push(path.join(dir, e));
  }
  return found;
}

/** The environment of the running qwen-ls server processes (from /proc), for the checks. */
function serverProcesses() {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!cmd[0] || !cmd[0].endsWith(`${path.sep}server${path.sep}qwen-ls${path.sep}qwen-ls`)) continue;
      const env = Object.fromEntries(
        fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      out.push({ pid: Number(pid), exe: cmd[0], env });
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

function codeServerEnv(runDir, home, stubUrl) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A clean slate: no provider keys, Qwen paths or VS Code IPC hooks from the outer process.
    if (/^(QWEN_|VSCODE_)|_API_KEY$/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    PATH: noPythonBin(home),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
    QWEN_LS_OAUTH_BASE_URL: stubUrl,
  };
}

function codeServerArgs(runDir, { trust = false } = {}) {
  return [
    '--config', '/dev/null',
    '--auth', 'none',
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', path.join(runDir, 'ext'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
  ];
}

function writeUserSettings(runDir, extra = {}) {
  const dir = path.join(runDir, 'user-data', 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'git.enabled': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
        // The harshest case for secrets: every LSP message traced into the Qwen channel.
        'qwen.trace.server': 'verbose',
        ...extra,
      },
      null,
      2,
    ),
  );
}

async function startCodeServer(runDir, env, project, { trust = false, logName = 'code-server.log' } = {}) {
  const port = await freePort();
  const args = [...codeServerArgs(runDir, { trust }), '--bind-addr', `127.0.0.1:${port}`, project];
  const out = fs.openSync(path.join(runDir, logName), 'w');
  // Own process group: the test ends code-server and its extension host (and qwen-ls) together.
  const child = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', out, out] });
  let exited = null;
  const stop = async () => {
    if (exited !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const gone = await Promise.race([once(child, 'exit').then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!gone) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  cleanups.push(stop);
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const base = `http://127.0.0.1:${port}`;
  await until('code-server /healthz', async () => {
    if (exited !== null) throw new Error(`code-server exited (${exited}); see code-server.log`);
    const res = await fetch(`${base}/healthz`);
    return res.status === 200;
  }, 60_000, 250);
  return { base, stop };
}

// ------------------------------------------------------------------------------------ UI helpers

/** Screenshot counter, shared by every page so that the files sort in the order they were taken. */
let shots = 0;

function ui(page) {
  const quickInput = page.locator('.quick-input-widget');
  const statusItem = page.locator('.part.statusbar .statusbar-item[id*="qwen.model"]');

  async function shot(name) {
    shots += 1;
    const file = path.join(artifacts, `${String(shots).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  async function palette(title) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await input.press('Enter');
  }

  /** Wait for a quick pick whose title contains `title`, then choose the row whose label starts with `text`. */
  async function choose(title, text) {
    await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
    const label = page.locator('.label-name', { hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    // Filter first: the list is virtualised, rows below the fold are not in the DOM.
    await quickInput.locator('input.input').first().fill(text);
    const row = quickInput.locator('.quick-input-list .monaco-list-row', { has: label }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
  }

  /** Wait for an input box whose title contains `title`, replace its value, press Enter. */
  async function type(title, value, { password = false } = {}) {
    await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
    const input = quickInput.locator(password ? 'input[type="password"]' : 'input.input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(value);
    await input.press('Enter');
  }

  /** Quick Open (Control+P) a file of the workspace by its relative path, wait for its tab. */
  async function openFile(relative) {
    await page.keyboard.press('Control+P');
    const input = quickInput.locator('input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relative);
    const name = path.basename(relative);
    const dir = path.dirname(relative);
    // The list first shows recently opened files: wait until the top row is the one asked for
    // (label and folder), or Enter opens whatever was on top a moment ago.
    // The folder must match exactly: ".qwen" is also a part of "sub/.qwen".
    await until(`Quick Open to list ${relative} first`, async () => {
      const top = quickInput.locator('.quick-input-list .monaco-list-row').first();
      const label = ((await top.locator('.label-name').first().textContent({ timeout: 2000 })) ?? '').trim();
      const folder = ((await top.locator('.label-description').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
      return label === name && folder === dir;
    }, 15_000);
    await input.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible' });
  }

  async function statusText() {
    return ((await statusItem.first().textContent({ timeout: 2000 })) ?? '').trim();
  }

  async function waitStatus(contains, timeoutMs = 30_000) {
    return until(`status bar item showing "${contains}"`, async () => ((await statusText()).includes(contains) ? statusText() : false), timeoutMs);
  }

  async function toastWith(text, timeoutMs = 30_000) {
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return (await toast.locator('.notification-list-item-message').first().innerText()) ?? '';
  }

  /** Press the QuickInput's back button (QuickInputButtons.Back) of the step titled `title`. */
  async function back(title) {
    await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
    await quickInput.locator('.quick-input-titlebar .action-label[aria-label="Back"], .quick-input-titlebar .codicon-quick-input-back').first().click();
  }

  /** The label of the active (focused) row of the open quick pick. */
  async function activeRow() {
    const row = quickInput.locator('.quick-input-list .monaco-list-row.focused').first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    return ((await row.locator('.label-name').first().textContent()) ?? '').trim();
  }

  /** A modal dialog (showWarningMessage/showErrorMessage with modal: true) whose text contains `text`. */
  async function dialog(text, timeoutMs = 45_000) {
    const box = page.locator('.monaco-dialog-box', { hasText: text }).first();
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    const message = ((await box.locator('.dialog-message-text').first().innerText().catch(() => '')) ?? '').trim();
    const detail = ((await box.locator('.dialog-message-detail').first().innerText().catch(() => '')) ?? '').trim();
    const buttons = (await box.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim());
    const press = async (label) => {
      await box.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
      await box.waitFor({ state: 'hidden', timeout: 10_000 });
    };
    return { box, message, detail, buttons, press };
  }

  /** The notice status bar item (qwen.notice): its text, or '' when hidden. */
  async function noticeText() {
    const item = page.locator('.part.statusbar .statusbar-item[id*="qwen.notice"]');
    if (!(await item.count()) || !(await item.first().isVisible())) return '';
    return ((await item.first().textContent({ timeout: 2000 })) ?? '').trim();
  }

  async function clearToasts() {
    await palette('Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }

  return { quickInput, statusItem, shot, palette, choose, type, openFile, statusText, waitStatus, toastWith, back, activeRow, dialog, noticeText, clearToasts };
}

// ------------------------------------------------------------------------------------ main

async function step(name, fn) {
  const t0 = Date.now();
  log(`▶ ${name}`);
  const entry = { name, ok: false, ms: 0, detail: null };
  result.steps.push(entry);
  try {
    entry.detail = (await fn()) ?? null;
    entry.ok = true;
  } catch (err) {
    entry.detail = { error: String(err?.message ?? err).slice(0, 2000) };
    if (currentPage) {
      await currentPage.screenshot({ path: path.join(artifacts, `failed-${result.steps.length}.png`) }).catch(() => undefined);
      const items = await currentPage
        .locator('.part.statusbar .statusbar-item')
        .evaluateAll((els) => els.map((e) => `${e.id} | ${e.className} | ${e.textContent}`))
        .catch(() => []);
      entry.detail.statusbar = items;
    }
    throw err;
  } finally {
    entry.ms = Date.now() - t0;
    log(`${entry.ok ? '✔' : '✘'} ${name} (${entry.ms} ms)`);
  }
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  for (const f of fs.readdirSync(artifacts)) {
    if (f.endsWith('.png') || f.endsWith('.log') || f === 'vscode-logs') fs.rmSync(path.join(artifacts, f), { recursive: true });
  }
  checkPrerequisites();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-ls-vscode-e2e-'));
  result.runDir = runDir;
  cleanups.push(async () => {
    // Keep the VS Code logs (extension host, the Qwen output channel) next to the screenshots.
    const logs = path.join(runDir, 'user-data', 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(artifacts, 'vscode-logs'), { recursive: true });
    const csLog = path.join(runDir, 'code-server.log');
    if (fs.existsSync(csLog)) fs.copyFileSync(csLog, path.join(artifacts, 'code-server.log'));
    if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
  });

  const vsix = VSIX;
  await step('the per-platform .vsix (make vsix) carries the frozen server', async () => {
    const listing = run('unzip', ['-Z1', vsix]);
    const exe = 'extension/server/qwen-ls/qwen-ls';
    if (!listing.split('\n').includes(exe)) throw new Error(`${vsix} has no ${exe}`);
    return { vsix: path.relative(repoRoot, vsix), bytes: fs.statSync(vsix).size };
  });

  const stubs = await startStubs();
  const { home, project, settingsFile } = makeWorkspace(runDir, stubs.url);
  const env = codeServerEnv(runDir, home, stubs.url);
  writeUserSettings(runDir);
  result.versions.codeServer = run(CODE_SERVER, ['--config', '/dev/null', '--version'], { env }).split('\n')[0];
  const hidden = pythonsOn(env.PATH);
  if (hidden.length) throw new Error(`the extension host's PATH still reaches ${hidden.join(', ')}`);

  await step('install the .vsix into code-server', async () => {
    const out = run(CODE_SERVER, [...codeServerArgs(runDir), '--install-extension', vsix, '--force'], { env });
    if (!/successfully installed/i.test(out)) throw new Error(`unexpected install output: ${out}`);
  });

  let base;
  let codeServer;
  await step('start code-server', async () => {
    codeServer = await startCodeServer(runDir, env, project);
    base = codeServer.base;
    return { base, path: env.PATH };
  });

  const { chromium } = await import('playwright-core');
  const profile = path.join(runDir, 'chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  cleanups.push(() => context.close().catch(() => undefined));
  context.setDefaultTimeout(20_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base }).catch(() => undefined);
  const page = context.pages()[0] ?? (await context.newPage());
  currentPage = page;
  const u = ui(page);

  await step('open the workspace with no Python reachable; the bundled server starts and the status bar shows the model', async () => {
    await page.goto(`${base}/?folder=${encodeURIComponent(project)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: 60_000 });
    const text = await u.waitStatus('qwen3-coder-typo', 60_000);
    await u.shot('workbench-ready');
    // The server that answers is the frozen one from the .vsix, and its PATH (the extension
    // host's, after VS Code resolved the login shell) reaches no Python and no qwen-ls.
    const servers = await until('the bundled qwen-ls process', () => serverProcesses().length && serverProcesses(), 10_000);
    const reachable = servers.flatMap((p) => pythonsOn(p.env.PATH));
    if (reachable.length) throw new Error(`the server's PATH reaches ${reachable.join(', ')}`);
    if (!servers.every((p) => p.exe.startsWith(path.join(runDir, 'ext')))) throw new Error(`not the bundled server: ${servers.map((p) => p.exe).join(', ')}`);
    return { status: text, server: path.relative(runDir, servers[0].exe), serverPath: servers[0].env.PATH };
  });

  await step('open .qwen/settings.json; the unknown model.name is in the Problems panel', async () => {
    await u.openFile('.qwen/settings.json');
    await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor({ state: 'visible' });
    await u.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'qwen3-coder-typo' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await row.textContent()) ?? '';
    // Squiggle in the editor too, and its hover: click the problem (the cursor goes to it), show the hover.
    await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 10_000 });
    await row.click();
    await u.palette('Show or Focus Hover');
    await page.locator('.monaco-hover', { hasText: 'qwen3-coder-typo' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const file = await u.shot('problems-panel');
    if (updateImages) fs.copyFileSync(file, path.join(extRoot, 'images', 'inline-error.png'));
    await page.keyboard.press('Escape');
    return { problem: text.slice(0, 300) };
  });

  await step('Qwen settings have their own language: one report per problem, not two', async () => {
    await page.keyboard.press('Escape');
    await u.openFile('sub/.qwen/settings.json');
    const mode = page.locator('.part.statusbar .statusbar-item[id="status.editor.mode"]');
    const modeText = async () => ((await mode.textContent({ timeout: 2000 })) ?? '').trim();
    await until('language mode "Qwen Code Settings"', async () => (await modeText()).includes('Qwen Code Settings'), 20_000);
    await u.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const commaRows = page.locator('.markers-panel .monaco-list-row', { hasText: /Trailing comma/ });
    const rows = async () => (await commaRows.allTextContents()).map((t) => t.trim());
    const ours = await until('one trailing-comma problem (QLS002)', async () => {
      const r = await rows();
      return r.length === 1 && r[0].includes('QLS002') ? r : false;
    }, 30_000);
    await u.shot('own-language-one-report');
    // Measure what the own language id avoids: the same file as "JSON with Comments".
    const switchMode = async (label) => {
      await u.palette('Change Language Mode');
      const pick = u.quickInput.locator('input.input');
      await pick.fill(label);
      await u.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
      await pick.press('Enter');
      await until(`language mode "${label}"`, async () => (await modeText()).includes(label), 20_000);
    };
    await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).click();
    await switchMode('JSON with Comments');
    const asJsonc = await until('the built-in JSON server reporting the comma too', async () => {
      const r = await rows();
      return r.length >= 2 ? r : false;
    }, 30_000);
    await u.shot('as-jsonc-two-reports');
    await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).click();
    await switchMode('Qwen Code Settings');
    await until('back to one report', async () => ((await rows()).length === 1 ? true : false), 30_000);
    return { qwenSettings: ours.length, jsonc: asJsonc.length, jsoncRows: asJsonc.map((r) => r.slice(0, 160)) };
  });

  await step('Qwen: Select Model → qwen3-max; status bar and file change, comments kept', async () => {
    await u.palette('Qwen: Select Model');
    await u.choose('Qwen: Select Model', 'qwen3-max');
    const text = await u.waitStatus('qwen3-max');
    const onDisk = await until('model.name = qwen3-max on disk', async () => {
      const t = fs.readFileSync(settingsFile, 'utf8');
      return /"model"\s*:\s*\{[^}]*"name"\s*:\s*"qwen3-max"/.test(t) ? t : false;
    }, 15_000);
    for (const comment of ['// Qwen Code settings of the e2e project', '// a typo: matches no configured model id']) {
      if (!onDisk.includes(comment)) throw new Error(`comment lost: ${comment}\n${onDisk}`);
    }
    await u.palette('Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    await u.statusItem.first().hover();
    await page.locator('.monaco-hover, .workbench-hover, .custom-hover').filter({ hasText: 'Base URL' }).first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
    const file = await u.shot('model-selected');
    if (updateImages) {
      await page.screenshot({ path: path.join(extRoot, 'images', 'status-bar.png'), clip: { x: 1280 - 560, y: 800 - 260, width: 560, height: 260 } });
    }
    return { status: text, screenshot: path.basename(file) };
  });

  await issue12Steps(page, u, stubs, home, project);

  await step('Qwen: Sign in → Qwen OAuth; the notification shows the user code', async () => {
    await page.keyboard.press('Escape');
    await u.palette('Qwen: Sign in');
    await u.choose('Qwen: Sign in', 'Qwen OAuth');
    const progressToast = await u.toastWith(`enter the code ${USER_CODE}`, 30_000);
    // The "Open browser" / "Copy code" notification: a toast, or in the notification centre when
    // VS Code has already folded the toast away.
    const actionText = `Qwen OAuth: enter the code ${USER_CODE} at`;
    const actionItem = await until('the device-code notification with its buttons', async () => {
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: actionText }).first();
      if (await toast.isVisible()) return toast;
      const centre = page.locator('.notifications-center .notification-list-item', { hasText: actionText }).first();
      if (await centre.isVisible()) return centre;
      await u.palette('Notifications: Show Notifications');
      return false;
    }, 20_000, 1000);
    const buttons = await actionItem.locator('.monaco-button').allTextContents();
    for (const b of ['Open browser', 'Copy code']) {
      if (!buttons.some((t) => t.includes(b))) throw new Error(`no "${b}" button on the device-code notification (buttons: ${buttons.join(', ')})`);
    }
    await u.shot('oauth-user-code');
    await actionItem.locator('.monaco-button', { hasText: 'Copy code' }).click();
    await page.locator('.part.statusbar', { hasText: `copied the code ${USER_CODE}` }).waitFor({ state: 'visible', timeout: 10_000 });
    if (!(await page.locator('.notifications-toasts .notification-toast', { hasText: `enter the code ${USER_CODE}` }).first().isVisible())) {
      await u.palette('Notifications: Show Notifications');
    }
    const toast = progressToast;
    // Approve on the stub service: the next poll gets a token.
    stubs.state.approved = true;
    const done = await until('the OAuth sign-in to finish', async () => {
      // Toasts, or the notification centre when it is open (both render the same list items).
      const toasts = await page.locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message').allInnerTexts();
      return toasts.find((t) => /signed in|Qwen OAuth.*(succe|done|complete)|discontinued|coder-model/i.test(t) && !t.includes('enter the code')) ?? false;
    }, 45_000);
    await u.shot('oauth-finished');
    return { toast: toast.slice(0, 300), buttons, finished: done.slice(0, 300), status: await u.statusText() };
  });

  await recoverySteps(page, u, runDir, home);

  await step('no secret in any log, output channel or settings file', async () => {
    const leaks = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === 'ext' || entry.name === 'chromium-profile' || entry.name === 'CachedData') continue;
          walk(p);
        } else if (entry.isFile() && fs.statSync(p).size < 20_000_000) {
          const t = fs.readFileSync(p, 'latin1');
          for (const secret of [API_SECRET, STUB_KEY, BAD_KEY, CP_KEY, SET_KEY]) {
            if (t.includes(secret) && !p.endsWith(`${path.sep}.env`)) leaks.push(`${path.relative(runDir, p)} (${secret.slice(0, 7)}…)`);
          }
        }
      }
    };
    walk(runDir);
    const qwenLogs = [];
    const findLogs = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) findLogs(p);
        else if (/Qwen\.log$/.test(entry.name)) qwenLogs.push(p);
      }
    };
    findLogs(path.join(runDir, 'user-data', 'logs'));
    for (const p of qwenLogs) fs.copyFileSync(p, path.join(artifacts, `output-${path.basename(p)}`));
    const envFile = path.join(project, '.qwen', '.env');
    const envText = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
    if (leaks.length) throw new Error(`a key leaked into: ${leaks.join(', ')}`);
    if (!qwenLogs.length) throw new Error('no Qwen output channel log was found to check');
    const traced = qwenLogs.some((p) => fs.readFileSync(p, 'utf8').includes('qwen-ls.signIn.apiKey'));
    // Each server log line once: window/logMessage lines look like "[Info  - …] INFO qwen_ls.x: m",
    // stderr lines like "2026-… INFO qwen_ls.x: m"; the server must not send a record both ways.
    const bodies = { window: new Set(), stderr: new Set() };
    let stderrInfo = 0;
    for (const p of qwenLogs) {
      for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
        const m = line.match(/(?:^|\] |^\S+ \S+ )(INFO|WARNING|ERROR|DEBUG) (qwen_ls\.\S+: .*)$/);
        if (!m) continue;
        const viaStderr = /^\d{4}-\d\d-\d\d /.test(line.replace(/^.*?\] /, '')) || /^\d{4}-\d\d-\d\d [\d:,]+ (INFO|WARNING|ERROR|DEBUG) /.test(line);
        (viaStderr ? bodies.stderr : bodies.window).add(m[2]);
        if (viaStderr && m[1] === 'INFO') stderrInfo += 1;
      }
    }
    const both = [...bodies.window].filter((b) => bodies.stderr.has(b));
    const internal = [...bodies.window].filter((b) => b.startsWith('qwen_ls.server.server: server error'));
    if (internal.length) throw new Error(`the server reported internal errors: ${internal.slice(0, 2).join(' | ')}`);
    if (stderrInfo) throw new Error(`${stderrInfo} INFO lines came through stderr`);
    if (both.length) throw new Error(`log lines shown twice: ${both.slice(0, 3).join(' | ')}`);
    if (!bodies.window.size) throw new Error('no server log line reached the Qwen output channel');
    return { qwenLogs: qwenLogs.map((p) => path.relative(runDir, p)), serverLogLines: bodies.window.size, tracedSignIn: traced, keyStoredInWorkspaceEnv: envText.includes('E2E_NEW_API_KEY=') };
  });

  await codeServer.stop();
  await restrictedModeSteps(context, runDir, env, home, stubs.url);

  result.ok = result.steps.every((s) => s.ok);
}

/**
 * Set a machine setting of the running code-server (the extension reacts to the change).
 * qwen.server.command is machine-overridable: with a remote extension host, which code-server's
 * is, VS Code reads it from the Remote ("Machine") settings, not from the browser's User settings.
 */
function setMachineSetting(runDir, key, value) {
  const file = path.join(runDir, 'user-data', 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8') || '{}') : {};
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * Issue 12 in the real VS Code: Test connection from the code lens (ok for all three protocols, a
 * 401, the later success replacing the 401), a model pick whose key is missing ("Set the key"), the
 * sign-in methods in order with Back, Coding Plan at a custom endpoint (the stub) and sign-out,
 * the status following a file written from outside, and the API-key check failing → Save anyway.
 */
async function issue12Steps(page, u, stubs, home, project) {
  const userEnv = path.join(home, '.qwen', '.env');
  const projectEnv = path.join(project, '.qwen', '.env');
  const toasts = () => page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();

  /**
   * Click the "Test connection" lens of the entry whose line contains `text` (the lens nearest
   * above that line, after Go to Line has scrolled it into view); answer the server's "send the
   * key to 127.0.0.1?" question, then wait for `done`.
   */
  async function testLens(text, done) {
    const lines = fs.readFileSync(path.join(project, '.qwen', 'settings.json'), 'utf8').split('\n');
    const n = lines.findIndex((l) => l.includes(text)) + 1;
    if (!n) throw new Error(`no line with ${text}`);
    await page.keyboard.press('Control+G');
    const input = u.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${n}`);
    await input.press('Enter');
    const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ state: 'visible', timeout: 10_000 });
    const lineY = (await line.boundingBox()).y;
    const lenses = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Test connection' });
    const index = await until(`the lens above ${text}`, async () => {
      const ys = await lenses.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return r.height ? r.y : null; }));
      let best = -1;
      ys.forEach((y, i) => { if (y !== null && y < lineY && (best < 0 || y > ys[best])) best = i; });
      return best >= 0 ? best + 1 : false;
    }, 20_000);
    await lenses.nth(index - 1).click();
    let asked = false;
    const outcome = await until(`the result of Test connection for ${text}`, async () => {
      const question = page.locator('.notifications-toasts .notification-toast', { hasText: 'Send the key' }).first();
      if (await question.isVisible()) {
        asked = true;
        await question.locator('.monaco-button', { hasText: 'Send the key' }).first().click();
        return false;
      }
      return done();
    }, 30_000, 250);
    return { asked, outcome };
  }

  await step('Test connection from the code lens: a 401, then a success that replaces it; Anthropic and Gemini too', async () => {
    await u.clearToasts();
    await u.openFile('.qwen/settings.json');
    const lenses = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Test connection' });
    await until('the Test connection code lenses', async () => (await lenses.count()) >= 2, 30_000);
    const titles = await lenses.allInnerTexts();
    const revoked = await testLens('"e2e-revoked"', async () => ((await u.noticeText()).includes('HTTP 401') ? u.noticeText() : false));
    const notice401 = await u.noticeText();
    // The result is an information diagnostic on the entry too.
    await u.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const diag = page.locator('.markers-panel .monaco-list-row', { hasText: 'HTTP 401' }).first();
    await diag.waitFor({ state: 'visible', timeout: 20_000 });
    const diagText = ((await diag.textContent()) ?? '').slice(0, 300);
    await u.statusItem.first().hover().catch(() => undefined);
    await page.locator('.part.statusbar .statusbar-item[id*="qwen.notice"]').first().hover();
    await page.locator('.monaco-hover, .workbench-hover, .custom-hover').filter({ hasText: 'HTTP 401' }).first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
    await u.shot('test-connection-401');
    if ((await toasts()).some((t) => t.includes('HTTP 401'))) throw new Error('the 401 came as a toast, which no later success can remove');
    await page.locator('.tabs-container .tab', { hasText: 'settings.json' }).first().click();
    await u.openFile('.qwen/settings.json');
    const ok = await testLens('"qwen3-coder-plus"', async () => (await toasts()).find((t) => t.includes('Connected to')) ?? false);
    await until('the 401 notice to be gone', async () => !(await u.noticeText()).includes('401'), 10_000);
    await u.shot('test-connection-ok-replaces-401');
    const stale = (await toasts()).filter((t) => t.includes('401'));
    if (stale.length) throw new Error(`a stale 401 stays beside the success: ${stale.join(' | ')}`);
    await u.clearToasts();
    const anthropic = await testLens('"claude-e2e"', async () => (await toasts()).find((t) => t.includes('Connected to')) ?? false);
    await u.clearToasts();
    const gemini = await testLens('"gemini-e2e"', async () => (await toasts()).find((t) => t.includes('Connected to')) ?? false);
    await u.shot('test-connection-gemini');
    await u.clearToasts();
    const probes = stubs.state.requests.filter((r) => r.startsWith('models '));
    for (const want of ['models openai /v1/models bad-key', 'models openai /v1/models good-key', 'models anthropic /anthropic/v1/models good-key', 'models gemini /gemini/v1beta/models good-key']) {
      if (!probes.includes(want)) throw new Error(`the stub never saw "${want}" (saw: ${[...new Set(probes)].join(', ')})`);
    }
    return { lensesShown: titles.length, notice401, diagnostic: diagText, revoked, ok, anthropic, gemini, probes: [...new Set(probes)] };
  });

  await step('the "Sign in…" quick fix of a missing key (QLS402) opens the sign-in flow of the extension', async () => {
    await u.clearToasts();
    await u.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'E2E_MISSING_API_KEY' }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor({ state: 'visible' });
    await u.palette('Quick Fix...');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Sign in' }).first();
    await fix.waitFor({ state: 'visible', timeout: 15_000 });
    const fixes = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    await u.shot('sign-in-quick-fix');
    // The action widget is driven by the keyboard (a pointer block covers it while it opens).
    await until('the "Sign in…" fix to be the focused one', async () => {
      const focused = ((await page.locator('.action-widget .monaco-list-row.focused').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
      if (focused.includes('Sign in')) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 15_000);
    await page.keyboard.press('Enter');
    // The extension's own flow (its method pick), not the server's "sign in from a terminal".
    await u.quickInput.locator('.quick-input-title', { hasText: 'Qwen: Sign in' }).waitFor({ state: 'visible', timeout: 15_000 });
    const first = await u.activeRow();
    const terminal = (await toasts()).filter((t) => /from a terminal/.test(t));
    if (terminal.length) throw new Error(`the server's terminal advice was shown: ${terminal.join(' | ')}`);
    await page.keyboard.press('Escape');
    return { fixes, firstMethod: first };
  });

  await step('Qwen: Select Model → a model whose key is missing says so and offers "Set the key", which sets it', async () => {
    await page.keyboard.press('Escape');
    await u.palette('Qwen: Select Model');
    await u.choose('Qwen: Select Model', 'e2e-no-key');
    const d = await u.dialog('E2E_MISSING_API_KEY');
    if (!d.buttons.some((b) => b.includes('Set the key'))) throw new Error(`no "Set the key" button (${d.buttons.join(', ')})`);
    await u.shot('model-key-missing');
    await d.press('Set the key');
    // The API-key flow opens at the key, every other answer taken from the entry.
    await u.type('with an API key (6/7)', SET_KEY, { password: true });
    await u.choose('(7/7)', 'This workspace');
    await until('E2E_MISSING_API_KEY in the workspace .env', () => fs.readFileSync(projectEnv, 'utf8').includes(`E2E_MISSING_API_KEY=${SET_KEY}`), 30_000);
    const text = await u.waitStatus('e2e-no-key', 30_000);
    await u.shot('model-key-set');
    return { dialog: d.message.slice(0, 300), buttons: d.buttons, status: text };
  });

  await step('Qwen: Sign in lists Coding Plan first and Qwen OAuth last with its note in full; Back keeps the earlier answer', async () => {
    await page.keyboard.press('Escape');
    await u.clearToasts();
    await u.palette('Qwen: Sign in');
    await u.quickInput.locator('.quick-input-title', { hasText: 'Qwen: Sign in' }).waitFor({ state: 'visible' });
    const rows = u.quickInput.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    // The first label of each row (the detail line is a label too).
    const labels = await rows.evaluateAll((els) => els.map((e) => (e.querySelector('.label-name')?.textContent ?? '').trim()));
    if (labels.join(' | ') !== 'Alibaba Cloud Coding Plan | API Key | Qwen OAuth') throw new Error(`methods in the wrong order: ${labels.join(' | ')}`);
    const active = await u.activeRow();
    if (active !== 'Alibaba Cloud Coding Plan') throw new Error(`the pre-selected method is ${active}`);
    const oauth = rows.filter({ hasText: 'Qwen OAuth' }).first();
    const detail = oauth.locator('.quick-input-list-label-meta').first();
    const note = ((await detail.innerText().catch(async () => `(no detail element) ${await oauth.innerHTML()}`)) ?? '').trim();
    if (note !== 'Discontinued 2026-04-15, for deployments that still accept it.') throw new Error(`the OAuth note reads "${note}"`);
    // Not cut off: no element of the detail line is wider than its box (an ellipsis would be).
    const clipped = await detail.evaluate((el) => [el, ...el.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1));
    if (clipped) throw new Error('the Qwen OAuth note is cut off');
    await page.mouse.move(5, 790); // no hover tooltip over the rows in the screenshot
    await u.shot('sign-in-methods');
    await u.choose('Qwen: Sign in', 'Alibaba Cloud Coding Plan');
    await u.choose('Coding Plan (2/4)', 'International');
    await u.quickInput.locator('.quick-input-title', { hasText: 'Coding Plan (3/4)' }).waitFor({ state: 'visible' });
    await u.back('Coding Plan (3/4)');
    await u.quickInput.locator('.quick-input-title', { hasText: 'Coding Plan (2/4)' }).waitFor({ state: 'visible' });
    const kept = await u.activeRow();
    if (!kept.startsWith('International')) throw new Error(`Back lost the region: the active row is ${kept}`);
    await u.shot('back-keeps-region');
    await u.back('Coding Plan (2/4)');
    await u.quickInput.locator('.quick-input-title', { hasText: /^\s*Qwen: Sign in \(1\/4\)\s*$/ }).waitFor({ state: 'visible' });
    const method = await u.activeRow();
    if (method !== 'Alibaba Cloud Coding Plan') throw new Error(`Back to the method lost it: ${method}`);
    await page.keyboard.press('Escape');
    return { methods: labels, oauthNote: note, afterBack: kept, methodAfterBack: method };
  });

  let cpModel;
  await step('Qwen: Sign in → Coding Plan at a custom endpoint (the stub); the key lands in ~/.qwen/.env', async () => {
    await u.palette('Qwen: Sign in');
    await u.choose('Qwen: Sign in', 'Alibaba Cloud Coding Plan');
    await u.choose('Coding Plan (2/4)', 'International');
    await u.choose('Coding Plan (3/4)', 'Custom endpoint');
    await u.type('Coding Plan (3/4)', `${stubs.url}/coding/v1`);
    await u.type('Coding Plan (4/4)', CP_KEY, { password: true });
    const message = await u.toastWith('Successfully authenticated with Alibaba Cloud Coding Plan', 45_000);
    cpModel = /Model: ([^.\s]+(?:\.[^.\s]+)*)\./.exec(message)?.[1];
    if (!cpModel) throw new Error(`no model in "${message}"`);
    const text = await u.waitStatus(cpModel, 30_000);
    const env = fs.readFileSync(userEnv, 'utf8');
    if (!env.includes(`BAILIAN_CODING_PLAN_API_KEY=${CP_KEY}`)) throw new Error('the Coding Plan key is not in ~/.qwen/.env');
    if (!stubs.state.requests.includes('models openai /coding/v1/models good-key')) throw new Error('the key was not checked at the custom endpoint');
    await u.shot('coding-plan-signed-in');
    return { message: message.slice(0, 300), model: cpModel, status: text };
  });

  await step('Qwen: Sign out removes the Coding Plan key; the status bar says not signed in, with the next step', async () => {
    await u.clearToasts();
    await u.palette('Qwen: Sign out');
    const d = await u.dialog('Sign out of Qwen Code?');
    if (!d.detail.includes('BAILIAN_CODING_PLAN_API_KEY')) throw new Error(`the dialog does not say which key goes: ${d.detail}`);
    await u.shot('sign-out-dialog');
    await d.box.locator('.dialog-buttons .monaco-button', { hasText: /^\s*Sign out\s*$/ }).first().click();
    await until('the key to leave ~/.qwen/.env', () => !fs.readFileSync(userEnv, 'utf8').includes('BAILIAN_CODING_PLAN_API_KEY='), 20_000);
    const text = await u.waitStatus('sign in', 20_000);
    if (!text.includes(cpModel)) throw new Error(`the status bar lost the model: ${text}`);
    await u.statusItem.first().hover();
    const tip = page.locator('.monaco-hover, .workbench-hover, .custom-hover').filter({ hasText: 'not signed in' }).first();
    await tip.waitFor({ state: 'visible', timeout: 10_000 });
    const tooltip = ((await tip.innerText()) ?? '').trim();
    if (!tooltip.includes('Qwen: Sign in')) throw new Error(`the tooltip names no palette command: ${tooltip}`);
    if (/qwen-ls auth/.test(tooltip)) throw new Error(`the tooltip names a CLI command: ${tooltip}`);
    await u.shot('signed-out');
    return { dialog: d.detail.slice(0, 400), status: text, tooltip: tooltip.slice(0, 400) };
  });

  await step('a key written into ~/.qwen/.env from a terminal: the status bar follows, no typing', async () => {
    await page.mouse.move(10, 10);
    // Nothing of the sign-out may still be pending (a toast's end refreshed the status once):
    // after this, only the server's own watching can change the status bar.
    await u.clearToasts();
    const before = await u.statusText();
    if (!before.includes('sign in')) throw new Error(`not signed out before the write: ${before}`);
    fs.appendFileSync(userEnv, `BAILIAN_CODING_PLAN_API_KEY=${CP_KEY}\n`);
    const text = await u.waitStatus(cpModel, 15_000);
    await u.shot('live-status-outside-write');
    return { status: text };
  });

  await step('Qwen: Sign in → API Key: the stub rejects the key (401), "Save anyway" saves it; status bar shows the new model', async () => {
    await page.keyboard.press('Escape');
    await u.clearToasts();
    await u.palette('Qwen: Sign in');
    await u.choose('Qwen: Sign in', 'API Key');
    await u.choose('with an API key (2/7)', 'OpenAI-compatible');
    await u.choose('(3/7)', 'Custom URL');
    await u.type('(3/7)', `${stubs.url}/v1`);
    await u.type('(4/7)', 'stub-model-1');
    await u.type('(5/7)', 'E2E_NEW_API_KEY');
    await u.quickInput.locator('.quick-input-title', { hasText: '(6/7)' }).waitFor({ state: 'visible' });
    const pw = u.quickInput.locator('input[type="password"]');
    await pw.waitFor({ state: 'visible' });
    await pw.fill(API_SECRET);
    await u.shot('api-key-password-box');
    await pw.press('Enter');
    await u.choose('(7/7)', 'This workspace');
    const d = await u.dialog('');
    for (const b of ['Save anyway', 'Edit']) {
      if (!d.buttons.some((x) => x.includes(b))) throw new Error(`no "${b}" button on the failed check (${d.buttons.join(', ')}): ${d.message}`);
    }
    if (/--no-verify|qwen-ls auth/.test(d.message)) throw new Error(`the message names CLI options: ${d.message}`);
    if (fs.readFileSync(projectEnv, 'utf8').includes('E2E_NEW_API_KEY=')) throw new Error('the key was written before "Save anyway"');
    await u.shot('api-key-check-failed');
    await d.press('Save anyway');
    const text = await u.waitStatus('stub-model-1', 45_000);
    if (!fs.readFileSync(projectEnv, 'utf8').includes('E2E_NEW_API_KEY=')) throw new Error('"Save anyway" did not save the key');
    await u.shot('api-key-saved-anyway');
    return { check: d.message.slice(0, 400), buttons: d.buttons, status: text, stubRequests: [...new Set(stubs.state.requests)].filter((r) => r.startsWith('models')) };
  });
}

/**
 * A qwen.server.command that exits at once, then one that hangs: each ends in an error message
 * with actions (never an endless spinner), and Restart, Select Model and changing the setting
 * recover without reloading the window. The command is a script, so the test can "fix" it the way
 * a user installs the missing server.
 */
async function recoverySteps(page, u, runDir, home) {
  const script = path.join(home, 'flaky-qwen-ls');
  const bundled = serverProcesses()[0]?.exe;
  const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  const clearToasts = async () => {
    await u.palette('Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  };

  await step('qwen.server.command exits at once: an error message with actions; the packaged README opens', async () => {
    await clearToasts();
    fs.writeFileSync(script, '#!/bin/sh\necho "qwen-ls: not installed yet" >&2\nexit 3\n', { mode: 0o755 });
    setMachineSetting(runDir, 'qwen.server.command', [script]);
    const t = toast('did not start: it exited with code 3');
    await t.waitFor({ state: 'visible', timeout: 30_000 });
    const message = await t.locator('.notification-list-item-message').innerText();
    const buttons = await t.locator('.monaco-button').allTextContents();
    for (const b of ['Restart', 'Open Setting', 'Install Instructions', 'Show Output']) {
      if (!buttons.some((x) => x.includes(b))) throw new Error(`no "${b}" button (buttons: ${buttons.join(', ')})`);
    }
    if (!message.includes('not installed yet')) throw new Error(`the message lacks the server's output: ${message}`);
    await u.shot('server-exits-at-once');
    await t.locator('.monaco-button', { hasText: 'Install Instructions' }).click();
    const preview = page.locator('.tabs-container .tab', { hasText: /Preview/ }).first();
    await preview.waitFor({ state: 'visible', timeout: 20_000 });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('h2', { hasText: 'Installing' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await u.shot('install-instructions');
    return { message: message.slice(0, 400), buttons, preview: (await preview.innerText()).trim() };
  });

  await step('qwen.server.command hangs: Restart gives up after the start timeout with an error, Open Setting shows the setting', async () => {
    await page.keyboard.press('Control+W');
    await clearToasts();
    fs.writeFileSync(script, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    const t0 = Date.now();
    await u.palette('Qwen: Restart Language Server');
    const t = toast('did not answer "initialize"');
    await t.waitFor({ state: 'visible', timeout: SERVER_START_TIMEOUT_MS + 20_000 });
    const waited = Date.now() - t0;
    const message = await t.locator('.notification-list-item-message').innerText();
    await u.shot('server-hangs');
    // The hung process is killed, not left behind.
    const sleeping = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('sleep\u0000600');
      } catch {
        return false;
      }
    });
    if (sleeping.length) throw new Error(`the hung server is still running (pids ${sleeping.join(', ')})`);
    await t.locator('.monaco-button', { hasText: 'Open Setting' }).click();
    const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Command line (argv) that starts the qwen-ls server' }).first();
    await setting.waitFor({ state: 'visible', timeout: 20_000 });
    const tab = ((await page.locator('.settings-editor .settings-tabs-widget .action-item.checked, .settings-editor .settings-tabs-widget .checked').first().innerText().catch(() => '')) || '').trim();
    await u.shot('open-setting');
    return { message: message.slice(0, 400), waitedMs: waited, settingsTab: tab };
  });

  await step('the server gets installed; Qwen: Select Model starts it and works, no reload', async () => {
    await page.keyboard.press('Control+W');
    await clearToasts();
    if (!bundled) throw new Error('no bundled server path was seen earlier');
    fs.writeFileSync(script, `#!/bin/sh\nexec "${bundled}" "$@"\n`, { mode: 0o755 });
    await u.palette('Qwen: Select Model');
    await u.choose('Qwen: Select Model', 'qwen3-coder-plus');
    const text = await u.waitStatus('qwen3-coder-plus', 30_000);
    await u.shot('recovered-by-select-model');
    return { status: text };
  });

  await step('clearing qwen.server.command goes back to the bundled server, no reload', async () => {
    fs.writeFileSync(script, '#!/bin/sh\nexit 4\n', { mode: 0o755 });
    setMachineSetting(runDir, 'qwen.server.command', undefined);
    // The restart after the change: the process is the bundled server again, and it answers.
    await until('the bundled server to be the only qwen-ls', () => {
      const procs = serverProcesses();
      return procs.length === 1 && procs[0].exe === bundled;
    }, 30_000);
    await u.palette('Qwen: Show Auth Status');
    await until('an auth status message', async () => (await page.locator('.notifications-toasts .notification-toast').count()) > 0, 15_000);
    const text = await u.waitStatus('qwen3-coder-plus', 15_000);
    await u.shot('recovered-by-setting');
    return { status: text };
  });
}

/**
 * Restricted Mode: workspace trust on, the folder not trusted. Its .vscode/settings.json names a
 * program as qwen.server.command; VS Code must ignore it (restrictedConfigurations) and the bundled
 * server must still give the diagnostics.
 */
async function restrictedModeSteps(context, runDir, env, home, stubUrl) {
  const folder = path.join(home, 'untrusted');
  const marker = path.join(home, 'workspace-setting-ran');
  fs.mkdirSync(path.join(folder, '.qwen'), { recursive: true });
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'qwen.server.command': ['/bin/sh', '-c', `echo ran > ${marker}`] }, null, 2));
  fs.writeFileSync(
    path.join(folder, '.qwen', 'settings.json'),
    `{\n  "modelProviders": { "openai": [ { "id": "m1", "baseUrl": "${stubUrl}/v1", "envKey": "E2E_STUB_API_KEY" } ] },\n  "security": { "auth": { "selectedType": "openai" } },\n  "model": { "name": "restricted-typo" }\n}\n`,
  );
  writeUserSettings(runDir, { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' });
  let base;
  await step('Restricted Mode: start code-server with workspace trust on', async () => {
    ({ base } = await startCodeServer(runDir, env, folder, { trust: true, logName: 'code-server-restricted.log' }));
    return { base };
  });
  const page = await context.newPage();
  currentPage = page;
  const u = ui(page);
  await step('Restricted Mode: an untrusted folder gets diagnostics from the bundled server; its workspace qwen.server.command never runs', async () => {
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await u.waitStatus('restricted-typo', 60_000);
    await u.openFile('.qwen/settings.json');
    await u.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'restricted-typo' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await u.shot('restricted-mode-diagnostics');
    if (fs.existsSync(marker)) throw new Error('the workspace qwen.server.command ran in Restricted Mode');
    const servers = serverProcesses();
    if (!servers.length) throw new Error('no bundled qwen-ls process is running');
    return { problem: ((await row.textContent()) ?? '').slice(0, 200), server: path.relative(runDir, servers[0].exe) };
  });
}

// One overall deadline, and a clean exit on SIGTERM/SIGINT (the pytest wrapper's timeout): either
// way the cleanups end code-server's process group, so nothing outlives the test.
const OVERALL_DEADLINE_MS = Number(process.env.QWEN_LS_E2E_DEADLINE_MS || 10 * 60_000);
let cleaning = false;
async function abort(reason) {
  if (cleaning) return;
  cleaning = true;
  result.error = reason;
  log(`ABORT: ${reason}`);
  for (const fn of cleanups.reverse()) {
    await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
  }
  writeResult();
  process.exit(2);
}
const deadlineTimer = setTimeout(() => void abort(`overall deadline of ${OVERALL_DEADLINE_MS} ms exceeded`), OVERALL_DEADLINE_MS);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => void abort(`received ${sig}`));

let exitCode = 1;
try {
  await main();
  exitCode = result.ok ? 0 : 1;
} catch (err) {
  result.error = String(err?.stack ?? err);
  log(`FAILED: ${err?.message ?? err}`);
} finally {
  clearTimeout(deadlineTimer);
  if (!cleaning) {
    cleaning = true;
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* best effort */
      }
    }
  }
  writeResult();
  log(`${result.ok ? 'PASSED' : 'FAILED'} in ${(result.durationMs / 1000).toFixed(1)} s; result: ${resultFile}`);
}
process.exit(exitCode);
