/** Entry point of the Qwen extension: wires the log, the client, the status bar and the commands. */

import * as vscode from 'vscode';
import { QwenClient } from './client';
import { QwenCommands } from './commands';
import { QwenLog } from './log';
import { QwenNotices } from './notices';
import { QwenStatusBar } from './statusBar';

let client: QwenClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = new QwenLog();
  const statusBar = new QwenStatusBar();
  const notices = new QwenNotices(log.redactor);
  client = new QwenClient(log, context.extensionUri, context.extensionPath);
  const commands = new QwenCommands(client, log, notices);
  context.subscriptions.push(
    log,
    statusBar,
    notices,
    client,
    client.onStatus((status) => statusBar.showStatus(status)),
    client.onLensProbe((result) => void commands.showProbe(result)),
    client.onState(({ state, reason }) => {
      if (state === 'starting') {
        statusBar.showStarting();
      } else if (state === 'stopped') {
        statusBar.showStopped(reason ?? '');
      }
    }),
  );
  commands.register(context);
  // Not awaited: activation returns at once, the status bar shows the progress.
  void client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
