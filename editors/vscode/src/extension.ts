/** Entry point of the Qwen extension: wires the log, the client, the status bar and the commands. */

import * as vscode from 'vscode';
import { QwenClient } from './client';
import { QwenCommands } from './commands';
import { QwenLog } from './log';
import { QwenStatusBar } from './statusBar';

let client: QwenClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = new QwenLog();
  const statusBar = new QwenStatusBar();
  client = new QwenClient(log, context.extensionUri, context.extensionPath);
  context.subscriptions.push(
    log,
    statusBar,
    client,
    client.onStatus((status) => statusBar.showStatus(status)),
    client.onState(({ state, reason }) => {
      if (state === 'starting') {
        statusBar.showStarting();
      } else if (state === 'stopped') {
        statusBar.showStopped(reason ?? '');
      }
    }),
  );
  new QwenCommands(client, log).register(context);
  // Not awaited: activation returns at once, the status bar shows the progress.
  void client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
