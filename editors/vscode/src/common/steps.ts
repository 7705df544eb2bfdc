/**
 * The multi-step input behind "Qwen: Sign in", as a plain state machine: an ordered list of steps,
 * some shown only for some earlier answers (the custom URL box only after "Custom URL…"), a Back
 * that returns to the previous *shown* step with its answer kept, and "(n/N)" numbering that
 * follows the steps the current answers show. The vscode side (commands.ts) only renders one step
 * at a time; everything that can go wrong with Back lives here, where unit tests reach it.
 */

/** What one rendered step answers: a value, Back (the QuickInput back button) or cancel (Escape). */
export type StepOutcome<T> = { kind: 'value'; value: T } | { kind: 'back' } | { kind: 'cancel' };

export const BACK = { kind: 'back' } as const;
export const CANCEL = { kind: 'cancel' } as const;
export function value<T>(v: T): StepOutcome<T> {
  return { kind: 'value', value: v };
}

/** The state after one step: `update` of its value, or the step's Back / cancel unchanged. */
export function answer<T, S>(out: StepOutcome<T>, update: (v: T) => S): StepOutcome<S> {
  return out.kind === 'value' ? value(update(out.value)) : out;
}

/** Where a step stands in the flow, for its title and its Back button. */
export interface StepPosition {
  /** 1-based number of the step ("2" in "(2/4)"); a step that continues the previous shares it. */
  number: number;
  /** How many numbered steps the current answers show. */
  total: number;
  /** False on the first shown step: it has no Back button. */
  canGoBack: boolean;
}

export interface Step<S> {
  /** A name for logs and tests. */
  id: string;
  /** Shown only when this holds for the answers so far (default: always). */
  when?: (state: S) => boolean;
  /** Shares the number of the step before it (the "Custom URL" box after the endpoint pick). */
  continues?: boolean;
  /**
   * Render the step. `state` holds every answer so far *and* this step's earlier answer when the
   * user came back to it, so the rendering can pre-fill it. Returns the new state on a value.
   */
  run: (state: S, position: StepPosition) => Promise<StepOutcome<S>>;
}

function shown<S>(step: Step<S>, state: S): boolean {
  return step.when ? step.when(state) : true;
}

/** The number and total of `steps[index]` for the answers in `state`. */
export function position<S>(steps: Step<S>[], index: number, state: S, canGoBack: boolean): StepPosition {
  let number = 0;
  let total = 0;
  for (let i = 0; i < steps.length; i++) {
    if (!shown(steps[i], state)) {
      continue;
    }
    if (!steps[i].continues || total === 0) {
      total += 1;
    }
    if (i === index) {
      number = total;
    }
  }
  return { number, total, canGoBack };
}

/**
 * Run `steps` from `initial`. Back pops to the previous shown step, keeping every answer in the
 * state (so that step shows it again); going forward again re-evaluates `when`, so a changed answer
 * can show or hide later steps. `startAt` (a step id) opens the flow at that step, as if the shown
 * steps before it had been answered with `initial`. Resolves with the final state, or undefined
 * when cancelled.
 */
export async function runSteps<S>(steps: Step<S>[], initial: S, startAt?: string): Promise<S | undefined> {
  let state = initial;
  /** Indices of the steps answered so far, in order: Back returns to the last one. */
  const history: number[] = [];
  let index = 0;
  // "Edit" after a failed check: open at one step, the shown steps before it answered already.
  const start = startAt ? steps.findIndex((s) => s.id === startAt) : -1;
  if (start > 0) {
    for (let i = 0; i < start; i++) {
      if (shown(steps[i], state)) {
        history.push(i);
      }
    }
    index = start;
  }
  while (index < steps.length) {
    const step = steps[index];
    if (!shown(step, state)) {
      index += 1;
      continue;
    }
    const outcome = await step.run(state, position(steps, index, state, history.length > 0));
    if (outcome.kind === 'cancel') {
      return undefined;
    }
    if (outcome.kind === 'back') {
      const previous = history.pop();
      if (previous === undefined) {
        return undefined;
      }
      index = previous;
      continue;
    }
    state = outcome.value;
    history.push(index);
    index += 1;
  }
  return state;
}

/** The title of a step: `Qwen: Sign in with an API key (2/5)`. */
export function stepTitle(title: string, pos: StepPosition): string {
  return pos.total > 1 ? `${title} (${pos.number}/${pos.total})` : title;
}
