/**
 * The one "Qwen" output channel, shared with the language client (its log and its traces). Every
 * line goes through a Redactor, so neither our logging nor a verbose LSP trace of a sign-in command
 * can print an API key.
 */

import * as vscode from 'vscode';
import { Redactor } from './common/redact';

export class QwenLog implements vscode.Disposable {
  readonly redactor = new Redactor();
  readonly channel: vscode.OutputChannel;
  /** The channel handed to the LanguageClient: same sink, redacted. */
  readonly clientChannel: vscode.OutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Qwen');
    const raw = this.channel;
    const redactor = this.redactor;
    this.clientChannel = {
      name: raw.name,
      append: (value: string) => raw.append(redactor.redact(value)),
      appendLine: (value: string) => raw.appendLine(redactor.redact(value)),
      replace: (value: string) => raw.replace(redactor.redact(value)),
      clear: () => raw.clear(),
      show: (preserveFocus?: boolean) => raw.show(preserveFocus),
      hide: () => raw.hide(),
      // The LanguageClient disposes its channel on dispose(); ours outlives restarts.
      dispose: () => undefined,
    } as vscode.OutputChannel;
  }

  /** Register a secret the user just typed, before it is sent anywhere. */
  rememberSecret(secret: string): void {
    this.redactor.remember(secret);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string, err?: unknown): void {
    const detail = err === undefined ? '' : `: ${errorText(err)}`;
    this.write('error', message + detail);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private write(level: string, message: string): void {
    const time = new Date().toLocaleTimeString();
    this.channel.appendLine(this.redactor.redact(`[${level.padEnd(5)} - ${time}] ${message}`));
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  if (typeof err === 'object' && err !== null && 'message' in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}
