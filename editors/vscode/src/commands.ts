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
import {
  EDIT,
  OPEN_SETTINGS,
  SAVE_ANYWAY,
  SET_THE_KEY,
  SHOW_OUTPUT,
  TEST_AGAIN,
  checkFailed,
  missingKey,
  probeNotice,
  selectModelNotice,
  signInNotice,
  signOutDetail,
} from './common/outcome';
import { userSettingsPath, workspaceSettingsPath } from './common/paths';
import {
  ServerCommands,
  type ApiKeyArgs,
  type ApiKeyPreset,
  type AuthStatus,
  type CodingPlanArgs,
  type DoctorReport,
  type ModelList,
  type ModelRow,
  type ProbeResult,
  type SelectModelArgs,
  type SignInResult,
  type SignOutArgs,
  type SignOutResult,
  type TestConnectionArgs,
} from './common/protocol';
import { apiKeyArgs, codingPlanArgs, setKeyFlow, setKeyState, type SignInState } from './common/signInState';
import { runSteps } from './common/steps';
import { statusSummary } from './common/statusView';
import { inEditorTerms } from './common/wording';
import { errorText, type QwenLog } from './log';
import type { QwenNotices } from './notices';
import { signInSteps } from './signInFlow';

/** The configured model a pick stands for (its key status and entry). */
function findRow(list: ModelList | undefined, args: SelectModelArgs): ModelRow | undefined {
  for (const group of list?.groups ?? []) {
    for (const m of group.models) {
      if (m.id === args.id && (m.protocol || group.protocol) === args.protocol && (m.baseUrl ?? undefined) === (args.baseUrl ?? undefined)) {
        return m;
      }
    }
  }
  return undefined;
}

export class QwenCommands {
  constructor(
    private readonly client: QwenClient,
    private readonly log: QwenLog,
    private readonly notices: QwenNotices,
  ) {}

  register(context: vscode.ExtensionContext): void {
    const reg = (id: string, fn: () => Promise<unknown>) =>
      context.subscriptions.push(vscode.commands.registerCommand(id, () => this.guard(id, fn)));
    reg('qwen.signIn', () => this.signIn());
    reg('qwen.selectModel', () => this.selectModel());
    reg('qwen.showAuthStatus', () => this.showAuthStatus());
    reg('qwen.signOut', () => this.signOut());
    reg('qwen.testConnection', () => this.testConnection());
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
      await this.notices.show({ level: 'error', message: `Qwen: ${inEditorTerms(text)}`, actions: [SHOW_OUTPUT] }, { onAction: () => this.log.show() });
    }
  }

  // ---------------------------------------------------------------------------- sign in

  /**
   * "Qwen: Sign in": the method and its steps in one flow with Back buttons, then the server
   * command. A failed key check offers "Save anyway" (the same call without the check) and "Edit"
   * (the flow again at the endpoint, every answer kept). `initial`/`startAt`: "Set the key".
   */
  async signIn(initial: SignInState = {}, startAt?: string): Promise<void> {
    let presets: ApiKeyPreset[] = [];
    try {
      const got = await this.client.execute<ApiKeyPreset[]>(ServerCommands.apiKeyPresets, {});
      presets = Array.isArray(got) ? got : [];
    } catch (err) {
      this.log.warn(`qwen-ls.apiKeyPresets failed, offering a custom URL only: ${errorText(err)}`);
    }
    const steps = signInSteps(presets);
    let state: SignInState | undefined = initial;
    let at = startAt;
    for (;;) {
      state = await runSteps(steps, state, at);
      if (!state?.method) {
        return;
      }
      if (state.method === 'qwen-oauth') {
        await this.signInQwenOAuth();
        return;
      }
      const again = await this.sendSignIn(state);
      if (again !== 'edit') {
        return;
      }
      at = state.method === 'coding-plan' ? 'cp-endpoint' : 'ak-endpoint';
    }
  }

  /** Send the answers; on a failed check ask "Save anyway" / "Edit". Returns 'edit' to run the steps again. */
  private async sendSignIn(state: SignInState): Promise<'edit' | undefined> {
    const codingPlan = state.method === 'coding-plan';
    const command = codingPlan ? ServerCommands.signInCodingPlan : ServerCommands.signInApiKey;
    const args: CodingPlanArgs | ApiKeyArgs = codingPlan ? codingPlanArgs(state) : apiKeyArgs(state);
    this.log.rememberSecret(args.key);
    const where = codingPlan ? (args.baseUrl ? `Coding Plan at ${args.baseUrl}` : 'Alibaba Cloud Coding Plan') : args.baseUrl;
    let result = await this.withBusy(`Qwen: checking the key and signing in to ${where}…`, () =>
      this.writing(() => this.client.execute<SignInResult>(command, args)),
    );
    let notice = signInNotice(result);
    if (checkFailed(result)) {
      const choice = await this.notices.show(notice, { ask: true, probe: result.verify });
      if (choice === EDIT) {
        return 'edit';
      }
      if (choice !== SAVE_ANYWAY) {
        return undefined;
      }
      result = await this.withBusy(`Qwen: saving the sign-in to ${where} without the check…`, () =>
        this.writing(() => this.client.execute<SignInResult>(command, { ...args, verify: false })),
      );
      notice = signInNotice(result);
    }
    if (!result.ok && result.status !== 'cancelled') {
      const choice = await this.notices.show(notice, { ask: true });
      if (choice === SHOW_OUTPUT) {
        this.log.show();
      }
      await this.client.refreshStatus();
      return choice === EDIT ? 'edit' : undefined;
    }
    await this.showResult(result);
    return undefined;
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
    const row = findRow(list, chosen.args);
    const envKey = missingKey(result, row);
    if (!result?.ok || !envKey) {
      await this.showResult(result);
      return;
    }
    // Selected, but qwen cannot use it yet: say so and offer to set the key, in a dialog that is
    // answered, not a toast that stays beside the next success.
    await this.client.refreshStatus();
    const choice = await this.notices.show(selectModelNotice(result, envKey), { ask: true });
    if (choice === SET_THE_KEY) {
      const fromServer = result.setKey ? setKeyFlow(result.setKey) : undefined;
      const fromRow = row ? setKeyState(row) : undefined;
      const flow = fromServer ?? (fromRow ? { state: fromRow, startAt: 'ak-key' } : undefined);
      await this.signIn(flow?.state, flow?.startAt);
    }
  }

  async showAuthStatus(): Promise<void> {
    const status = await this.client.execute<AuthStatus>(ServerCommands.authStatus, {});
    const summary = inEditorTerms(statusSummary(status));
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

  /**
   * "Qwen: Sign out": asks the server what it would remove (`dryRun`), shows that in one dialog
   * (with "clear the auth type" as its own button), asks again only for a value the user wrote by
   * hand, then signs out with both answers given, so the server asks nothing more.
   */
  async signOut(): Promise<void> {
    const planned = await this.client.execute<SignOutResult>(ServerCommands.signOut, { dryRun: true } satisfies SignOutArgs).catch(() => undefined);
    const plan = planned?.status === 'planned' ? planned.plan : undefined;
    const status = plan ? undefined : await this.client.execute<AuthStatus>(ServerCommands.authStatus, {}).catch(() => undefined);
    if ((plan && !plan.signedIn && !plan.removals.length) || (!plan && status?.method === 'none')) {
      await this.notices.show({ level: 'info', message: 'Qwen: not signed in; there is nothing to remove. Run "Qwen: Sign in" to sign in.', actions: [] });
      return;
    }
    const SIGN_OUT = 'Sign out';
    const AND_CLEAR = 'Sign out and clear the auth type';
    const buttons = plan?.selectedType ? [SIGN_OUT, AND_CLEAR] : [SIGN_OUT];
    const choice = await vscode.window.showWarningMessage(
      'Sign out of Qwen Code?',
      { modal: true, detail: this.log.redactor.redact(signOutDetail(status, plan)) },
      ...buttons,
    );
    if (!choice) {
      return;
    }
    const args: SignOutArgs = {};
    if (plan) {
      args.clearSelectedType = choice === AND_CLEAR;
      const handWritten = plan.removals.filter((r) => !r.attributable);
      if (handWritten.length) {
        const REMOVE = 'Remove it';
        const answer = await vscode.window.showWarningMessage(
          `Remove ${handWritten.map((r) => r.label).join(', ')} too?`,
          { modal: true, detail: 'qwen-ls did not write this value: you or another tool did. Keep it if something else uses it.' },
          REMOVE,
          'Keep it',
        );
        if (answer === undefined) {
          return;
        }
        args.confirmed = answer === REMOVE;
      } else {
        args.confirmed = false;
      }
    }
    const result = await this.writing(() => this.client.execute<SignOutResult>(ServerCommands.signOut, args));
    await this.showResult(result);
  }

  // ---------------------------------------------------------------------------- test connection

  /**
   * "Qwen: Test connection" from the palette: pick a configured model (the current one first),
   * then the server's one cheap authenticated request. Code lens clicks come in through
   * `showProbe` (the client's executeCommand middleware) with the server's own arguments.
   */
  async testConnection(): Promise<void> {
    const list = await this.client.execute<ModelList>(ServerCommands.listModels, {});
    const entries = modelPickEntries(list ?? { current: null, groups: [] }).filter((e): e is PickRow => e.kind === 'item');
    // No entry: the server explains what is missing. One: that one, without asking.
    let args: TestConnectionArgs = entries.length === 1 ? { modelId: entries[0].args.id, protocol: entries[0].args.protocol, baseUrl: entries[0].args.baseUrl ?? null } : {};
    if (entries.length > 1) {
      const items = entries.map((e) => ({ label: e.label, description: e.description, detail: e.detail, row: e }));
      const chosen = await vscode.window.showQuickPick(items, {
        title: 'Qwen: Test connection',
        placeHolder: 'Which model entry should be tested? (one request to its endpoint, with its key)',
        ignoreFocusOut: true,
        matchOnDescription: true,
      });
      if (!chosen) {
        return;
      }
      args = { modelId: chosen.row.args.id, protocol: chosen.row.args.protocol, baseUrl: chosen.row.args.baseUrl ?? null };
    }
    const result = await this.client.execute<ProbeResult>(ServerCommands.testConnection, args);
    await this.showProbe(result);
  }

  /** Show a Test connection result through the one notice channel (a later success replaces a 401). */
  async showProbe(result: ProbeResult | undefined): Promise<void> {
    if (!result || typeof result !== 'object' || typeof result.status !== 'string') {
      return;
    }
    const notice = probeNotice(result);
    this.log.info(`test connection ${result.status}${result.failure ? ` (${result.failure})` : ''}: ${this.log.redactor.redact(notice.message)}`);
    if (result.status === 'cancelled') {
      vscode.window.setStatusBarMessage(this.log.redactor.redact(notice.message), 5000);
      return;
    }
    const choice = await this.notices.show(notice, { probe: result, onAction: (action) => this.onAction(action) });
    if (choice) {
      await this.onAction(choice);
    }
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
    const notice = signInNotice(result);
    this.log.info(`${result.status}: ${this.log.redactor.redact(notice.message)}${result.files?.length ? ` (files: ${result.files.join(', ')})` : ''}`);
    // The server also sends qwen/statusChanged; refreshing covers servers that do not. First: a
    // toast's promise only settles when the toast goes, and the status must not wait for that.
    await this.client.refreshStatus();
    if (result.status === 'cancelled') {
      vscode.window.setStatusBarMessage(this.log.redactor.redact(notice.message), 5000);
      return;
    }
    const settings = (result.files ?? []).filter((f) => f.endsWith('settings.json'));
    const choice = await this.notices.show(notice, { onAction: (action) => this.onAction(action) });
    if (choice === OPEN_SETTINGS && settings.length) {
      await openOrCreate(settings[0]);
    } else if (choice) {
      await this.onAction(choice);
    }
  }

  /** A button of a notice picked later, from the status bar item. */
  private async onAction(action: string): Promise<void> {
    if (action === SHOW_OUTPUT) {
      this.log.show();
    } else if (action === EDIT || action === SET_THE_KEY) {
      await this.signIn();
    } else if (action === TEST_AGAIN) {
      await this.testConnection();
    }
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
