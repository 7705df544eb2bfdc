/**
 * The one channel for the outcome of a Qwen command, so that a later success never sits beside a
 * stale "401" toast. VS Code cannot close a notification toast from an extension, so failures are
 * not toasts at all:
 *
 * - a failure is shown on one status bar item (`qwen.notice`, error or warning background, the full
 *   message in its tooltip). The next outcome replaces it, a success removes it. Clicking it shows
 *   the message again with its buttons.
 * - a failure the user has to decide on now, at the end of a flow they are waiting for (the key
 *   check failed: "Save anyway" / "Edit"; the picked model has no key: "Set the key"), is asked in a
 *   modal dialog: it is answered or dismissed, never left behind.
 * - a success is an information toast (VS Code hides those by itself) and clears the item.
 */

import * as vscode from 'vscode';
import { noticeHeadline, type Notice } from './common/outcome';
import type { ProbeResult } from './common/protocol';
import type { Redactor } from './common/redact';

export class QwenNotices implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: { notice: Notice; onAction?: (action: string) => unknown } | undefined;
  private readonly command: vscode.Disposable;

  constructor(private readonly redactor: Redactor) {
    this.item = vscode.window.createStatusBarItem('qwen.notice', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Qwen: last result';
    this.item.command = 'qwen.showLastResult';
    this.command = vscode.commands.registerCommand('qwen.showLastResult', () => this.replay());
  }

  /**
   * Show `notice`. `ask`: a decision the user waits for (a modal dialog; resolves with the button).
   * Otherwise failures go to the status bar item and resolve at once; `onAction` runs when the
   * user later picks one of its buttons from there. Successes are a toast; resolves with its button.
   */
  async show(notice: Notice, options: { ask?: boolean; probe?: ProbeResult; onAction?: (action: string) => unknown } = {}): Promise<string | undefined> {
    const message = this.redactor.redact(notice.message);
    const shownNotice = { ...notice, message };
    if (notice.level === 'info') {
      this.clear();
      return vscode.window.showInformationMessage(message, ...notice.actions);
    }
    this.last = { notice: shownNotice, onAction: options.onAction };
    this.item.text = noticeHeadline(shownNotice, options.probe);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(message);
    tooltip.appendMarkdown('\n\nClick for the options, or run **Qwen: Show Output**.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = new vscode.ThemeColor(notice.level === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.show();
    if (options.ask) {
      return this.modal(shownNotice);
    }
    return undefined;
  }

  /** Remove the failure from the status bar: it no longer describes the current state. */
  clear(): void {
    this.last = undefined;
    this.item.hide();
  }

  dispose(): void {
    this.command.dispose();
    this.item.dispose();
  }

  private modal(notice: Notice): Thenable<string | undefined> {
    const show = notice.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    return show(notice.message, { modal: true }, ...notice.actions);
  }

  private async replay(): Promise<void> {
    const last = this.last;
    if (!last) {
      return;
    }
    const choice = await this.modal(last.notice);
    if (choice) {
      await last.onAction?.(choice);
    }
  }
}
