/**
 * The status bar item `$(hubot) <model>`: follows `qwen/statusChanged` and the client state, with a
 * warning background when the sign-in is incomplete. Clicking it runs "Qwen: Select Model".
 */

import * as vscode from 'vscode';
import type { AuthStatus } from './common/protocol';
import { STARTING_VIEW, statusView, stoppedView, type StatusView } from './common/statusView';

export class QwenStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('qwen.model', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Qwen model';
    this.item.command = 'qwen.selectModel';
    this.render(STARTING_VIEW);
    this.item.show();
  }

  showStatus(status: AuthStatus): void {
    this.render(statusView(status));
  }

  showStarting(): void {
    this.render(STARTING_VIEW);
  }

  showStopped(reason: string): void {
    this.render(stoppedView(reason));
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(view: StatusView): void {
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}
