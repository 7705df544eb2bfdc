/**
 * One step of a multi-step input, rendered with VS Code's QuickInput: a pick or an input box with
 * the back button (`QuickInputButtons.Back`) whenever there is a step to go back to. The earlier
 * answer of the step is shown again (the active row, the box's value), so Back never loses what
 * was typed. The flow itself (order, numbering, Back) is common/steps.ts.
 */

import * as vscode from 'vscode';
import type { Choice } from './common/signInSteps';
import { BACK, CANCEL, stepTitle, value, type StepOutcome, type StepPosition } from './common/steps';

type Item<T> = vscode.QuickPickItem & { value: T };

export interface PickOptions<T> {
  title: string;
  placeholder: string;
  choices: Choice<T>[];
  /** The row to make active: the earlier answer, or a default. */
  active?: T;
  /** Compares values (for object values); `===` otherwise. */
  same?: (a: T, b: T) => boolean;
}

export function pickStep<T>(pos: StepPosition, options: PickOptions<T>): Promise<StepOutcome<T>> {
  const qp = vscode.window.createQuickPick<Item<T>>();
  qp.title = stepTitle(options.title, pos);
  qp.placeholder = options.placeholder;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = options.choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
  qp.buttons = pos.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  if (options.active !== undefined) {
    const same = options.same ?? ((a: T, b: T) => a === b);
    const active = qp.items.find((i) => same(i.value, options.active as T));
    if (active) {
      qp.activeItems = [active];
    }
  }
  return settle<T>(qp, (resolve) => [
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) {
        resolve(value(chosen.value));
      }
    }),
  ]);
}

export interface InputOptions {
  title: string;
  prompt: string;
  placeholder?: string;
  /** The earlier answer or a default (also for a password: Back and Edit keep what was typed). */
  value?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
}

export function inputStep(pos: StepPosition, options: InputOptions): Promise<StepOutcome<string>> {
  const box = vscode.window.createInputBox();
  box.title = stepTitle(options.title, pos);
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.password = !!options.password;
  box.ignoreFocusOut = true;
  box.value = options.value ?? '';
  box.buttons = pos.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  const check = (text: string) => (options.validate ? options.validate(text) : undefined);
  return settle<string>(box, (resolve) => [
    box.onDidChangeValue((text) => {
      // Only once something was typed: an empty box does not open with an error.
      box.validationMessage = text ? check(text) : undefined;
    }),
    box.onDidAccept(() => {
      const error = check(box.value);
      box.validationMessage = error;
      if (!error) {
        resolve(value(box.value.trim()));
      }
    }),
  ]);
}

/**
 * Show `input` until it yields an outcome: a value (from `listen`), Back (its back button) or
 * cancel (hidden by Escape or focus moving to another input). Disposes it either way.
 */
function settle<T>(
  input: vscode.QuickPick<Item<T>> | vscode.InputBox,
  listen: (resolve: (outcome: StepOutcome<T>) => void) => vscode.Disposable[],
): Promise<StepOutcome<T>> {
  return new Promise<StepOutcome<T>>((resolve) => {
    let done = false;
    const subs: vscode.Disposable[] = [];
    const finish = (outcome: StepOutcome<T>) => {
      if (done) {
        return;
      }
      done = true;
      subs.forEach((d) => d.dispose());
      input.dispose();
      resolve(outcome);
    };
    subs.push(
      ...listen(finish),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          finish(BACK);
        }
      }),
      input.onDidHide(() => finish(CANCEL)),
    );
    input.show();
  });
}
