/**
 * Builds, starts, restarts and stops the LanguageClient for qwen-ls, and is the only way the rest of
 * the extension talks to the server (`execute` sends `workspace/executeCommand` directly, so the
 * `qwen-ls.*` ids stay registered by the client alone).
 */

import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
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
import { ServerCommands, StatusChangedNotification, type AuthStatus, type ProbeResult } from './common/protocol';
import { failureMessage, isLaunch, type ServerLaunch } from './common/serverResolution';
import { startFailure, tail } from './common/startFailure';
import { errorText, type QwenLog } from './log';
import { findServer, primaryWorkspaceFolder } from './serverCommand';

export type ClientState = 'starting' | 'running' | 'stopped';

/** Restarts after a crash (within 3 minutes) before we give up: low, so a crash loop is visible. */
const MAX_RESTART_COUNT = 2;
/** Settings changes are applied after this quiet period (people type into settings.json). */
const RESTART_DEBOUNCE_MS = 1000;
/**
 * A server that has not answered `initialize` by then is taken as hung (a bare `python3` reading
 * its stdin as a script does exactly that) and is killed. The frozen server answers in well under
 * a second; this leaves room for a cold start on a slow disk.
 */
const START_TIMEOUT_MS = 20_000;
/** The last bytes of the server's stderr kept for the message when it fails to start. */
const STDERR_TAIL_BYTES = 2000;

export class ServerNotRunningError extends Error {
  constructor() {
    super('The qwen-ls language server is not running. Run "Qwen: Restart Language Server", or see the Qwen output for why it stopped.');
  }
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/**
 * A LanguageClient whose own error notifications ("couldn't create connection to server", ...) are
 * kept in the output while it starts: a failed start is reported once, by QwenClient, with actions.
 */
class QwenLanguageClient extends LanguageClient {
  quiet = true;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = 'force'): void {
    super.error(message, data, this.quiet ? false : showNotification);
  }
}

export class QwenClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  /** Ends the start in progress (with the reason) when a restart or stop overtakes it. */
  private abortStart: ((reason: string) => void) | undefined;
  /** The server process, spawned by us so that a hung or abandoned start can always be killed. */
  private child: ChildProcess | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<AuthStatus>();
  private readonly stateEmitter = new vscode.EventEmitter<{ state: ClientState; reason?: string }>();
  private readonly probeEmitter = new vscode.EventEmitter<ProbeResult>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Set while a command wants the server-initiated progress for itself (the OAuth flow). */
  private progressFollower: ((token: string | number) => void) | undefined;

  /** Fires with every AuthStatus: `qwen/statusChanged` notifications and explicit refreshes. */
  readonly onStatus = this.statusEmitter.event;
  readonly onState = this.stateEmitter.event;
  /** Fires with the result of a Test connection the server's code lens ran (not our own `execute`). */
  readonly onLensProbe = this.probeEmitter.event;

  constructor(
    private readonly log: QwenLog,
    private readonly extensionUri: vscode.Uri,
    private readonly extensionPath: string,
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

  /** Start the server unless it runs or is starting; resolves when it runs or has failed. */
  start(): Promise<void> {
    if (this.client?.state === State.Running) {
      return Promise.resolve();
    }
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /**
   * Stop whatever runs or is starting (a start that hangs is abandoned and its process killed,
   * never awaited), then start again.
   */
  async restart(): Promise<void> {
    clearTimeout(this.restartTimer);
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
    // Abandon a start in progress first: it ends at once, and its process is killed below.
    this.abortStart?.('stopped');
    await this.starting;
    const client = this.client;
    const child = this.child;
    this.client = undefined;
    this.child = undefined;
    if (client && client.state === State.Running) {
      try {
        await client.stop(5000);
      } catch (err) {
        this.log.warn(`Stopping the language server: ${errorText(err)}`);
      }
    }
    killProcess(child);
  }

  /**
   * Send `workspace/executeCommand` with one argument object (docs/CONTRACTS.md). A server that is
   * not running is started first, so a command recovers from a failed start once the cause is fixed.
   */
  async execute<T>(
    command: string,
    arg: object,
    options: { token?: vscode.CancellationToken; workDoneToken?: string } = {},
  ): Promise<T> {
    if (!this.isRunning) {
      await this.start();
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
      const status = await this.send<AuthStatus>(ServerCommands.authStatus, {}, {});
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
    this.probeEmitter.dispose();
  }

  private async doStart(): Promise<void> {
    this.stateEmitter.fire({ state: 'starting' });
    const found = findServer(this.extensionPath);
    if (!isLaunch(found)) {
      this.fail(failureMessage(found, process.platform === 'win32' ? ';' : ':'));
      return;
    }
    this.log.info(`Starting qwen-ls (${found.source}): ${found.display}`);
    const launched = this.launch(found);
    const client = launched.client;
    this.client = client;

    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      client.start().then(
        () => undefined,
        (err) => `its start failed: ${errorText(err)}`,
      ),
      launched.ended,
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`it did not answer "initialize" within ${START_TIMEOUT_MS / 1000} s and was stopped`), START_TIMEOUT_MS);
      }),
      new Promise<string>((resolve) => {
        this.abortStart = resolve;
      }),
    ]);
    clearTimeout(timer);
    this.abortStart = undefined;
    if (outcome !== undefined || client.state !== State.Running) {
      client.quiet = true;
      if (this.client === client) {
        this.client = undefined;
      }
      killProcess(launched.process());
      if (outcome !== 'stopped') {
        this.fail(startFailure(found, outcome ?? 'it stopped while starting', launched.stderr()));
      }
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

  /**
   * Build the LanguageClient for `found`. The process is spawned here, not by the client: a client
   * that is still starting cannot be stopped (vscode-languageclient refuses), but its process can
   * always be killed, which ends the start.
   */
  private launch(found: ServerLaunch): {
    client: QwenLanguageClient;
    ended: Promise<string>;
    process: () => ChildProcess | undefined;
    stderr: () => string;
  } {
    const workspaceFolder = primaryWorkspaceFolder();
    let child: ChildProcess | undefined;
    let stderr = '';
    let endedWith: (why: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (endedWith = resolve));
    const serverOptions: ServerOptions = async () => {
      child = spawn(found.command, found.args, {
        // The server reads QWEN_HOME, HOME and provider keys from the environment, like the CLI.
        env: process.env,
        cwd: workspaceFolder && fs.existsSync(workspaceFolder) ? workspaceFolder : undefined,
        stdio: 'pipe',
      });
      this.child = child;
      child.stderr?.on('data', (chunk: Buffer) => (stderr = tail(stderr + chunk.toString('utf8'), STDERR_TAIL_BYTES)));
      child.on('error', (err) => endedWith(`it could not be run: ${err.message}`));
      child.on('exit', (code, signal) => endedWith(signal ? `it was ended by ${signal}` : `it exited with code ${code}`));
      return child;
    };
    const userFile = userSettingsPath(process.env, os.homedir());
    let running = false;
    let crashes: number[] = [];
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
      initializationOptions: {},
      middleware: {
        // A code lens runs the server's command through the client, which drops the answer: keep
        // the Test connection result and show it (commands.ts). Our own `execute` bypasses this.
        executeCommand: async (command, args, next) => {
          if (command === ServerCommands.signIn) {
            // The "Sign in…" quick fix: our own flow (Back buttons, password boxes), not the server's
            // "sign in from a terminal" message for clients without one.
            return vscode.commands.executeCommand('qwen.signIn');
          }
          const answer: unknown = await next(command, args);
          if (command === ServerCommands.testConnection && answer && typeof answer === 'object') {
            this.probeEmitter.fire(answer as ProbeResult);
          }
          return answer;
        },
      },
      // Without this handler the client shows the bare error ("Cannot call write after a stream
      // was destroyed") in a second notification; doStart reports the failure once, with actions.
      initializationFailedHandler: (err) => {
        this.log.warn(`initialize failed: ${errorText(err)}`);
        return false;
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        // A server that never ran is reported by doStart; one that crashes later is restarted a
        // few times, then reported with the same actions instead of a silent dead client.
        closed: () => {
          if (!running) {
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          const now = Date.now();
          crashes = [...crashes.filter((t) => now - t < 3 * 60_000), now];
          if (crashes.length <= MAX_RESTART_COUNT) {
            this.log.warn(`qwen-ls stopped (${stderr ? tail(stderr, 300) : 'no output'}); restarting it`);
            return { action: CloseAction.Restart, handled: true };
          }
          this.fail(startFailure(found, `it stopped ${crashes.length} times in 3 minutes and is not restarted again`, stderr));
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    const client = new QwenLanguageClient('qwen', 'Qwen', serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (this.client !== client) {
        return;
      }
      if (e.newState === State.Running) {
        running = true;
        client.quiet = false;
        this.stateEmitter.fire({ state: 'running' });
      } else if (e.newState === State.Stopped && running) {
        this.stateEmitter.fire({ state: 'stopped', reason: 'See the Qwen output for details.' });
      }
    });
    return { client, ended, process: () => child, stderr: () => stderr };
  }

  /** Report a server that could not be found or started: log, status bar, a message with actions. */
  private fail(message: string): void {
    this.log.error(message);
    this.stateEmitter.fire({ state: 'stopped', reason: message });
    void this.showStartError(message);
  }

  private async showStartError(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Restart', 'Open Setting', 'Install Instructions', 'Show Output');
    if (choice === 'Restart') {
      await this.restart();
    } else if (choice === 'Open Setting') {
      await openServerSetting();
    } else if (choice === 'Install Instructions') {
      await vscode.commands.executeCommand('markdown.showPreview', packagedReadme(this.extensionUri));
    } else if (choice === 'Show Output') {
      this.log.show();
    }
  }
}

/**
 * Open the Settings editor where `qwen.server.command` can be set. It is machine-overridable: with
 * a remote extension host (code-server, SSH, WSL, containers) the User tab does not show it, only
 * the Remote tab does, and a workspace value is ignored in Restricted Mode.
 */
export async function openServerSetting(): Promise<void> {
  const command = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  await vscode.commands.executeCommand(command, { query: 'qwen.server.command' });
}

/** The README inside the installed extension: vsce stores README.md as `readme.md`. */
export function packagedReadme(extensionUri: vscode.Uri): vscode.Uri {
  let name = 'README.md';
  try {
    name = fs.readdirSync(extensionUri.fsPath).find((f) => f.toLowerCase() === 'readme.md') ?? name;
  } catch {
    /* not a local folder: keep the default name */
  }
  return vscode.Uri.joinPath(extensionUri, name);
}

function killProcess(child: ChildProcess | undefined): void {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
}
