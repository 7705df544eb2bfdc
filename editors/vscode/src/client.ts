/**
 * Builds, starts, restarts and stops the LanguageClient for qwen-ls, and is the only way the rest of
 * the extension talks to the server (`execute` sends `workspace/executeCommand` directly, so the
 * `qwen-ls.*` ids stay registered by the client alone).
 */

import * as os from 'os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type LanguageClientOptions,
  type ServerOptions,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
// Not re-exported by vscode-languageclient/node: the default UI of server-initiated progress.
import { ProgressPart } from 'vscode-languageclient/lib/common/progressPart';
import { exactFileGlob, userSettingsPath } from './common/paths';
import { StatusChangedNotification, type AuthStatus } from './common/protocol';
import { failureMessage, isLaunch } from './common/serverResolution';
import { errorText, type QwenLog } from './log';
import { findServer, primaryWorkspaceFolder } from './serverCommand';

export type ClientState = 'starting' | 'running' | 'stopped';

/** Restarts after a crash before the client gives up: low, so a crash loop is visible. */
const MAX_RESTART_COUNT = 2;
/** Settings changes are applied after this quiet period (people type into settings.json). */
const RESTART_DEBOUNCE_MS = 1000;

export class ServerNotRunningError extends Error {
  constructor() {
    super('The qwen-ls language server is not running. Run "Qwen: Restart Language Server", or see the Qwen output for why it stopped.');
  }
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export class QwenClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<AuthStatus>();
  private readonly stateEmitter = new vscode.EventEmitter<{ state: ClientState; reason?: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Set while a command wants the server-initiated progress for itself (the OAuth flow). */
  private progressFollower: ((token: string | number) => void) | undefined;

  /** Fires with every AuthStatus: `qwen/statusChanged` notifications and explicit refreshes. */
  readonly onStatus = this.statusEmitter.event;
  readonly onState = this.stateEmitter.event;

  constructor(
    private readonly log: QwenLog,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // qwen.trace.server is applied live by the LanguageClient itself (client id "qwen").
        if (e.affectsConfiguration('qwen.server')) {
          this.log.info('qwen.server settings changed; restarting the language server');
          this.scheduleRestart();
        }
      }),
    );
  }

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    await this.start();
  }

  scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restart().catch((err) => this.log.error('Restart failed', err));
    }, RESTART_DEBOUNCE_MS);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (err) {
        this.log.warn(`Stopping the language server: ${errorText(err)}`);
      }
    }
  }

  /** Send `workspace/executeCommand` with one argument object (docs/CONTRACTS.md). */
  async execute<T>(
    command: string,
    arg: object,
    options: { token?: vscode.CancellationToken; workDoneToken?: string } = {},
  ): Promise<T> {
    if (this.starting) {
      await this.starting;
    }
    return this.send<T>(command, arg, options);
  }

  /** `execute` without waiting for a start in progress (used by the start itself). */
  private async send<T>(command: string, arg: object, options: { token?: vscode.CancellationToken; workDoneToken?: string }): Promise<T> {
    const client = this.client;
    if (!client || client.state !== State.Running) {
      throw new ServerNotRunningError();
    }
    return (await client.sendRequest(
      ExecuteCommandRequest.type,
      { command, arguments: [arg], workDoneToken: options.workDoneToken },
      options.token,
    )) as T;
  }

  /** Follow `$/progress` for a token the extension handed to the server. */
  onProgress(token: string | number, handler: (value: ProgressValue) => void): vscode.Disposable {
    const client = this.client;
    if (!client) {
      return new vscode.Disposable(() => undefined);
    }
    return client.onProgress(WorkDoneProgress.type, token, handler);
  }

  /**
   * Route the progress the server creates (`window/workDoneProgress/create`) to `handler` instead
   * of the client's default status-bar spinner, until the returned Disposable is disposed. qwen-ls
   * creates its own token for the device flow, and the user code must be seen in a notification.
   */
  followServerProgress(handler: (token: string | number, value: ProgressValue) => void): vscode.Disposable {
    const subscriptions: vscode.Disposable[] = [];
    this.progressFollower = (token) => subscriptions.push(this.onProgress(token, (value) => handler(token, value)));
    return new vscode.Disposable(() => {
      this.progressFollower = undefined;
      subscriptions.forEach((d) => d.dispose());
    });
  }

  cancelProgress(token: string | number): void {
    this.client?.sendNotification(WorkDoneProgressCancelNotification.type, { token }).catch(() => undefined);
  }

  async refreshStatus(): Promise<AuthStatus | undefined> {
    try {
      const status = await this.send<AuthStatus>('qwen-ls.authStatus', {}, {});
      if (status && typeof status === 'object') {
        this.statusEmitter.fire(status);
        return status;
      }
    } catch (err) {
      if (!(err instanceof ServerNotRunningError)) {
        this.log.warn(`qwen-ls.authStatus failed: ${errorText(err)}`);
      }
    }
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.restartTimer);
    for (const d of this.disposables) {
      d.dispose();
    }
    this.statusEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private async doStart(): Promise<void> {
    this.stateEmitter.fire({ state: 'starting' });
    const found = findServer();
    if (!isLaunch(found)) {
      const message = failureMessage(found);
      this.log.error(message);
      this.stateEmitter.fire({ state: 'stopped', reason: message });
      void this.showStartError(message);
      return;
    }
    const workspaceFolder = primaryWorkspaceFolder();
    this.log.info(`Starting qwen-ls (${found.source}): ${found.display}`);

    const serverOptions: ServerOptions = {
      command: found.command,
      args: found.args,
      // The server reads QWEN_HOME, HOME and provider keys from the environment, like the CLI.
      options: { env: process.env, cwd: workspaceFolder },
    };
    const userFile = userSettingsPath(process.env, os.homedir());
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        // Our own language id keeps VS Code's JSON server off these files (README, "Against VS
        // Code's own JSON server"); json/jsonc stay for users who map the files back.
        { scheme: 'file', language: 'qwen-settings' },
        { scheme: 'file', language: 'jsonc', pattern: '**/.qwen/settings.json' },
        { scheme: 'file', language: 'json', pattern: '**/.qwen/settings.json' },
        { scheme: 'file', pattern: exactFileGlob(userFile) },
      ],
      outputChannel: this.log.clientChannel,
      traceOutputChannel: this.log.clientChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      connectionOptions: { maxRestartCount: MAX_RESTART_COUNT },
      initializationOptions: {},
    };
    const client = new LanguageClient('qwen', 'Qwen', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) {
        return;
      }
      if (e.newState === State.Running) {
        this.stateEmitter.fire({ state: 'running' });
      } else if (e.newState === State.Stopped) {
        this.stateEmitter.fire({ state: 'stopped', reason: 'See the Qwen output for details.' });
      }
    });
    try {
      await client.start();
    } catch (err) {
      if (this.client === client) {
        this.client = undefined;
      }
      const message = `Qwen: the language server (${found.display}) did not start: ${errorText(err)}`;
      this.log.error(message);
      this.stateEmitter.fire({ state: 'stopped', reason: message });
      void this.showStartError(message);
      return;
    }
    client.onNotification(StatusChangedNotification, (status: AuthStatus) => this.statusEmitter.fire(status));
    // Replaces the ProgressFeature's handler; without a follower it does exactly what that did.
    client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      if (this.progressFollower) {
        this.progressFollower(token);
      } else {
        new ProgressPart(client, token);
      }
    });
    this.stateEmitter.fire({ state: 'running' });
    const info = client.initializeResult?.serverInfo;
    this.log.info(`qwen-ls is running${info ? ` (${info.name} ${info.version ?? ''})` : ''}`);
    await this.refreshStatus();
  }

  private async showStartError(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Setting', 'Show Install Instructions', 'Show Output');
    if (choice === 'Open Setting') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'qwen.server.command');
    } else if (choice === 'Show Install Instructions') {
      const readme = vscode.Uri.joinPath(this.extensionUri, 'README.md');
      await vscode.commands.executeCommand('markdown.showPreview', readme);
    } else if (choice === 'Show Output') {
      this.log.show();
    }
  }
}
