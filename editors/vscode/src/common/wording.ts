/**
 * The server words its messages for the terminal and the editor alike ("Run `qwen-ls auth
 * coding-plan`", "skip the check with --no-verify"). In VS Code the same step is a palette command
 * or a button, so every message and tooltip the extension shows goes through `inEditorTerms`, which
 * names "Qwen: Sign in" instead of a CLI command the user would have to type into a terminal.
 */

const CLI_TO_PALETTE: [RegExp, string][] = [
  [/`?qwen-ls auth (?:coding-plan|api-key|qwen-oauth|sign-in|login)`?(?: \([^)]*\))?/g, '"Qwen: Sign in"'],
  [/`?qwen-ls auth (?:sign-out|logout)`?/g, '"Qwen: Sign out"'],
  [/`?qwen-ls auth status`?/g, '"Qwen: Show Auth Status"'],
  [/`?qwen-ls model test(?: [A-Z[\]]+)?`?/g, '"Qwen: Test connection"'],
  [/`?qwen-ls model (?:select|use|set)(?: [A-Z[\]]+)?`?/g, '"Qwen: Select Model"'],
  [/`?qwen-ls doctor`?/g, '"Qwen: Show Auth Status"'],
  [/skip the check with `?--no-verify`?/g, 'choose "Save anyway" to skip the check'],
  [/\(`?--no-verify`?\)/g, '("Save anyway")'],
  [/`?--no-verify`?/g, '"Save anyway"'],
];

/** `message` with the CLI commands it names replaced by the palette commands that do the same. */
export function inEditorTerms(message: string): string {
  let out = message;
  for (const [pattern, replacement] of CLI_TO_PALETTE) {
    out = out.replace(pattern, replacement);
  }
  // Two replacements in a row ("Run "Qwen: Sign in" or "Qwen: Sign in"") say the same twice.
  return out.replace(/("Qwen: [^"]+")( or \1)+/g, '$1');
}
