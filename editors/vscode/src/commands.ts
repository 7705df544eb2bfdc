/**
 * The palette commands (category "Qwen", ids in the `qwen.` namespace): sign in, select model,
 * show auth status, sign out, open the user or workspace settings file, restart the server.
 * Each collects what the LSP cannot (picks, password boxes) and calls one server command.
 * Keys typed into a password box are registered with the log's redactor before they are sent,
 * and never appear in a message.
 */

import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { QwenClient, ProgressValue } from './client';
import { parseDeviceProgress, type DeviceCode } from './common/deviceProgress';
import { modelPickEntries, type PickRow } from './common/modelPicks';
import { qwenHome, tildify, userSettingsPath, workspaceSettingsPath } from './common/paths';
import {
  ServerCommands,
  type ApiKeyArgs,
  type ApiKeyPreset,
  type AuthStatus,
  type DoctorReport,
  type CodingPlanArgs,
  type ModelList,
  type SignInResult,
} from './common/protocol';
import {
  CODING_PLAN_REGIONS,
  CUSTOM_URL,
  DEFAULT_ENV_KEYS,
  PROTOCOLS,
  SIGN_IN_METHODS,
  apiKeyError,
  baseUrlError,
  codingPlanKeyError,
  endpointChoices,
  envKeyError,
  modelIdError,
  storageChoices,
  type Choice,
} from './common/signInSteps';
import { statusSummary } from './common/statusView';
import { errorText, type QwenLog } from './log';
import { primaryWorkspaceFolder } from './serverCommand';

type Item<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(title: string, choices: Choice<T>[], placeHolder: string): Promise<T | undefined> {
  const items: Item<T>[] = choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDescription: true });
  return chosen?.value;
}

export class QwenCommands {
  constructor(
    private readonly client: QwenClient,
    private readonly log: QwenLog,
  ) {}

  register(context: vscode.ExtensionContext): void {
    const reg = (id: string, fn: () => Promise<unknown>) =>
      context.subscriptions.push(vscode.commands.registerCommand(id, () => this.guard(id, fn)));
    reg('qwen.signIn', () => this.signIn());
    reg('qwen.selectModel', () => this.selectModel());
    reg('qwen.showAuthStatus', () => this.showAuthStatus());
    reg('qwen.signOut', () => this.signOut());
    reg('qwen.openUserSettings', () => this.openUserSettings());
    reg('qwen.openWorkspaceSettings', () => this.openWorkspaceSettings());
    reg('qwen.restartServer', () => this.client.restart());
    reg('qwen.showOutput', async () => this.log.show());
  }

  /** One place that turns a failure into a message that says what failed and where to look. */
  private async guard(id: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const text = this.log.redactor.redact(errorText(err));
      this.log.error(`${id} failed`, text);
      const choice = await vscode.window.showErrorMessage(`Qwen: ${text}`, 'Show Output');
      if (choice === 'Show Output') {
        this.log.show();
      }
    }
  }

  // ---------------------------------------------------------------------------- sign in

  async signIn(): Promise<void> {
    const method = await pick('Qwen: Sign in', SIGN_IN_METHODS, 'Select authentication method');
    if (method === 'coding-plan') {
      await this.signInCodingPlan();
    } else if (method === 'api-key') {
      await this.signInApiKey();
    } else if (method === 'qwen-oauth') {
      await this.signInQwenOAuth();
    }
  }

  private async signInCodingPlan(): Promise<void> {
    const title = 'Qwen: Sign in with Alibaba Cloud Coding Plan';
    const region = await pick(`${title} (1/2)`, CODING_PLAN_REGIONS, 'Select the region of your Alibaba Cloud account');
    if (!region) {
      return;
    }
    const regionLabel = CODING_PLAN_REGIONS.find((r) => r.value === region)?.label ?? region;
    const key = await vscode.window.showInputBox({
      title: `${title} (2/2)`,
      prompt: `Coding Plan API key for ${regionLabel}. It is stored in a .env file, never in the output.`,
      placeHolder: 'sk-sp-...',
      password: true,
      ignoreFocusOut: true,
      validateInput: codingPlanKeyError,
    });
    if (!key) {
      return;
    }
    const args: CodingPlanArgs = { region, key: key.trim() };
    this.log.rememberSecret(args.key);
    const result = await this.withBusy('Qwen: signing in to Alibaba Cloud Coding Plan…', () =>
      this.writing(() => this.client.execute<SignInResult>(ServerCommands.signInCodingPlan, args)),
    );
    await this.showResult(result);
  }

  private async signInApiKey(): Promise<void> {
    const title = 'Qwen: Sign in with an API key';
    const steps = 6;
    const protocol = await pick(`${title} (1/${steps})`, PROTOCOLS, 'Select the API protocol of your provider');
    if (!protocol) {
      return;
    }
    let presets: ApiKeyPreset[] = [];
    try {
      presets = await this.client.execute<ApiKeyPreset[]>(ServerCommands.apiKeyPresets, {});
    } catch (err) {
      this.log.warn(`qwen-ls.apiKeyPresets failed, offering a custom URL only: ${errorText(err)}`);
    }
    const endpoint = await pick(`${title} (2/${steps})`, endpointChoices(Array.isArray(presets) ? presets : [], protocol), 'Select the provider endpoint (base URL)');
    if (endpoint === undefined) {
      return;
    }
    let baseUrl: string;
    let preset: ApiKeyPreset | undefined;
    if (endpoint === CUSTOM_URL) {
      const url = await vscode.window.showInputBox({
        title: `${title} (2/${steps})`,
        prompt: 'Base URL of the endpoint',
        placeHolder: protocol === 'openai' ? 'https://api.openai.com/v1' : 'https://…',
        ignoreFocusOut: true,
        validateInput: baseUrlError,
      });
      if (!url) {
        return;
      }
      baseUrl = url.trim();
    } else {
      baseUrl = endpoint.baseUrl;
      preset = endpoint.preset;
    }
    const suggested = preset?.models ?? [];
    const modelId = await vscode.window.showInputBox({
      title: `${title} (3/${steps})`,
      prompt: suggested.length ? `Model id sent to the API (for example ${suggested.slice(0, 3).join(', ')})` : 'Model id sent to the API',
      value: suggested[0] ?? '',
      placeHolder: 'gpt-4o',
      ignoreFocusOut: true,
      validateInput: modelIdError,
    });
    if (!modelId) {
      return;
    }
    const envKey = await vscode.window.showInputBox({
      title: `${title} (4/${steps})`,
      prompt: 'Name of the environment variable that will hold the key (modelProviders[].envKey)',
      value: preset?.envKey || DEFAULT_ENV_KEYS[protocol],
      ignoreFocusOut: true,
      validateInput: envKeyError,
    });
    if (!envKey) {
      return;
    }
    const key = await vscode.window.showInputBox({
      title: `${title} (5/${steps})`,
      prompt: `API key for ${baseUrl} (stored as ${envKey.trim()}; never shown in the output)`,
      placeHolder: 'sk-...',
      password: true,
      ignoreFocusOut: true,
      validateInput: apiKeyError,
    });
    if (!key) {
      return;
    }
    this.log.rememberSecret(key.trim());
    const home = tildify(qwenHome(process.env, os.homedir()), os.homedir());
    const storage = await pick(`${title} (6/${steps})`, storageChoices(primaryWorkspaceFolder(), home), 'Where should the key and the model be saved?');
    if (!storage) {
      return;
    }
    const args: ApiKeyArgs = { protocol, baseUrl, modelId: modelId.trim(), envKey: envKey.trim(), key: key.trim(), storage };
    const result = await this.withBusy(`Qwen: signing in to ${baseUrl}…`, () =>
      this.writing(() => this.client.execute<SignInResult>(ServerCommands.signInApiKey, args)),
    );
    await this.showResult(result);
  }

  private async signInQwenOAuth(): Promise<void> {
    // The server creates its own progress token; ours is offered too (LSP client-initiated
    // progress) so a server that honours it works the same.
    const workDoneToken = `qwen-oauth-${randomUUID()}`;
    const tokens = new Set<string | number>([workDoneToken]);
    let offered = false;
    let known: DeviceCode | undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Qwen OAuth', cancellable: true },
      async (progress, cancel) => {
        progress.report({ message: 'requesting a device code…' });
        const onValue = (token: string | number, value: ProgressValue) => {
          tokens.add(token);
          if (value.kind === 'end') {
            return;
          }
          const text = value.message ?? (value.kind === 'begin' ? value.title : undefined);
          if (!text) {
            return;
          }
          const device = parseDeviceProgress(text);
          if (device.userCode && !offered) {
            offered = true;
            known = device;
            void this.offerDeviceCode(device);
          }
          // Later lines ("waiting for approval…") must not hide the code the user has to type.
          const line = known && !text.includes(known.userCode ?? '\u0000') ? `enter the code ${known.userCode}${known.url ? ` at ${known.url}` : ''} — ${text}` : text;
          progress.report({ message: this.log.redactor.redact(line) });
        };
        const subs = [
          this.client.followServerProgress(onValue),
          this.client.onProgress(workDoneToken, (value) => onValue(workDoneToken, value)),
        ];
        const onCancel = cancel.onCancellationRequested(() => tokens.forEach((t) => this.client.cancelProgress(t)));
        try {
          // The extension opens the browser itself, from the "Open browser" button: an automatic
          // window/showDocument would pop VS Code's "open external website?" dialog mid-flow.
          return await this.writing(() =>
            this.client.execute<SignInResult>(ServerCommands.signInQwenOAuth, { openBrowser: false }, { token: cancel, workDoneToken }),
          );
        } catch (err) {
          if (cancel.isCancellationRequested) {
            return { ok: false, status: 'cancelled', message: 'Qwen OAuth sign-in cancelled; nothing was written.', files: [] } as SignInResult;
          }
          throw err;
        } finally {
          onCancel.dispose();
          subs.forEach((d) => d.dispose());
        }
      },
    );
    await this.showResult(result);
  }

  private async offerDeviceCode(device: DeviceCode): Promise<void> {
    const where = device.url ? ` at ${device.url}` : '';
    const actions = [...(device.url ? ['Open browser'] : []), 'Copy code'];
    const choice = await vscode.window.showInformationMessage(`Qwen OAuth: enter the code ${device.userCode}${where} to finish signing in.`, ...actions);
    if (choice === 'Open browser' && device.url) {
      await vscode.env.openExternal(vscode.Uri.parse(device.url, true));
    } else if (choice === 'Copy code' && device.userCode) {
      await vscode.env.clipboard.writeText(device.userCode);
      vscode.window.setStatusBarMessage(`Qwen: copied the code ${device.userCode}`, 5000);
    }
  }

  // ---------------------------------------------------------------------------- models and status

  async selectModel(): Promise<void> {
    const list = await this.client.execute<ModelList>(ServerCommands.listModels, {});
    const entries = modelPickEntries(list ?? { current: null, groups: [] });
    if (!entries.some((e) => e.kind === 'item')) {
      const choice = await vscode.window.showInformationMessage(
        'Qwen: no models are configured (modelProviders is empty in the user and workspace settings). Sign in to add one.',
        'Sign in',
      );
      if (choice === 'Sign in') {
        await this.signIn();
      }
      return;
    }
    type Row = vscode.QuickPickItem & { row?: PickRow };
    const items: Row[] = entries.map((e) =>
      e.kind === 'separator'
        ? { label: e.label, kind: vscode.QuickPickItemKind.Separator }
        : { label: e.label, description: e.description, detail: e.detail, row: e },
    );
    const qp = vscode.window.createQuickPick<Row>();
    qp.title = 'Qwen: Select Model';
    qp.placeholder = 'Select the model Qwen Code starts with (model.name)';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = items;
    const current = items.find((i) => i.row?.picked);
    if (current) {
      qp.activeItems = [current];
    }
    const chosen = await new Promise<PickRow | undefined>((resolve) => {
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]?.row);
        qp.hide();
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!chosen) {
      return;
    }
    const result = await this.writing(() => this.client.execute<SignInResult>(ServerCommands.selectModel, chosen.args));
    await this.showResult(result);
  }

  async showAuthStatus(): Promise<void> {
    const status = await this.client.execute<AuthStatus>(ServerCommands.authStatus, {});
    const summary = statusSummary(status);
    this.log.info(summary);
    await this.logDoctor();
    const actions = status.method === 'none' || !status.complete ? ['Sign in', 'Select Model'] : ['Select Model', 'Sign out'];
    const choice = await (status.complete ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(this.log.redactor.redact(summary), ...actions);
    if (choice === 'Sign in') {
      await this.signIn();
    } else if (choice === 'Select Model') {
      await this.selectModel();
    } else if (choice === 'Sign out') {
      await this.signOut();
    }
  }

  /** `qwen-ls doctor`'s problems across scopes, in the output channel (older servers: nothing). */
  private async logDoctor(): Promise<void> {
    try {
      const report = await this.client.execute<DoctorReport>(ServerCommands.doctor, {});
      for (const p of report.problems ?? []) {
        this.log.info(this.log.redactor.redact(`${p.path}:${p.line}:${p.column}: ${p.code} ${p.severity} ${p.message}`));
      }
    } catch (err) {
      this.log.warn(`qwen-ls.doctor failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async signOut(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Sign out of Qwen Code?',
      { modal: true, detail: 'qwen-ls removes the Qwen OAuth credentials and the stored key of the current sign-in, as `qwen auth` would.' },
      'Sign out',
    );
    if (choice !== 'Sign out') {
      return;
    }
    const result = await this.writing(() => this.client.execute<SignInResult>(ServerCommands.signOut, {}));
    await this.showResult(result);
  }

  // ---------------------------------------------------------------------------- settings files

  async openUserSettings(): Promise<void> {
    await openOrCreate(userSettingsPath(process.env, os.homedir()));
  }

  async openWorkspaceSettings(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (!folders.length) {
      throw new Error('No folder is open. Open a project folder first; its settings live in <folder>/.qwen/settings.json.');
    }
    const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Open the Qwen settings of which folder?' });
    if (folder) {
      await openOrCreate(workspaceSettingsPath(folder.uri.fsPath));
    }
  }

  // ---------------------------------------------------------------------------- helpers

  private withBusy<T>(title: string, fn: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, fn);
  }

  /**
   * Run a server command that may edit files. qwen-ls edits open documents through
   * workspace/applyEdit, which leaves them unsaved; the CLI reads the disk, so save the documents
   * the command changed, unless they already had unsaved changes of the user's before.
   */
  private async writing(fn: () => Promise<SignInResult>): Promise<SignInResult> {
    const dirtyBefore = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
    const result = await fn();
    if (result?.ok) {
      for (const file of result.files ?? []) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
        if (doc?.isDirty && !dirtyBefore.has(doc.uri.toString())) {
          await doc.save();
        }
      }
    }
    return result;
  }

  private async showResult(result: SignInResult | undefined): Promise<void> {
    if (!result || typeof result !== 'object') {
      throw new Error('the server returned no result. See the Qwen output.');
    }
    const message = this.log.redactor.redact(result.message || result.status);
    this.log.info(`${result.status}: ${message}${result.files?.length ? ` (files: ${result.files.join(', ')})` : ''}`);
    if (result.ok) {
      const files = (result.files ?? []).filter((f) => f.endsWith('settings.json'));
      const choice = await vscode.window.showInformationMessage(message, ...(files.length ? ['Open Settings'] : []));
      if (choice === 'Open Settings') {
        await openOrCreate(files[0]);
      }
    } else if (result.status === 'cancelled') {
      vscode.window.setStatusBarMessage(message, 5000);
    } else {
      const choice = await vscode.window.showErrorMessage(message, 'Show Output');
      if (choice === 'Show Output') {
        this.log.show();
      }
    }
    // The server also sends qwen/statusChanged; refreshing covers servers that do not.
    await this.client.refreshStatus();
  }
}

async function openOrCreate(file: string): Promise<void> {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, '{\n}\n', { mode: 0o600, flag: 'wx' });
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
}
