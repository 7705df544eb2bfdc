#!/usr/bin/env node
// Package the extension as a .vsix, with or without its own server.
//
//   node scripts/package-vsix.mjs --target linux-x64 --server ../../build/frozen/qwen-ls \
//        --out ../../dist/qwen-ls-linux-x64.vsix      (what `make vsix` runs)
//   node scripts/package-vsix.mjs                      (platform-neutral qwen-ls.vsix, no server)
//
// --server is the PyInstaller onedir folder of the frozen server (packaging/qwen-ls.spec); it is
// copied to server/qwen-ls/ inside the extension, where src/serverCommand.ts looks for it, and
// the .vsix is marked for --target (vsce package --target), because the server is native code.
// The release workflow runs this on each platform's own runner.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const target = opt('--target');
const server = opt('--server') && path.resolve(opt('--server'));
const out = path.resolve(opt('--out') ?? path.join(root, target ? `qwen-ls-${target}.vsix` : 'qwen-ls.vsix'));
if (server && !target) {
  console.error('package-vsix: --server needs --target (the platform the server was built for)');
  process.exit(2);
}

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--production']);

const staged = path.join(root, 'server');
fs.rmSync(staged, { recursive: true, force: true });
if (server) {
  const exe = path.join(server, target.startsWith('win32') ? 'qwen-ls.exe' : 'qwen-ls');
  if (!fs.existsSync(exe)) {
    console.error(`package-vsix: ${exe} does not exist; build the frozen server first (make frozen)`);
    process.exit(1);
  }
  // verbatimSymlinks: keep the onedir's own links (macOS frameworks) as links.
  fs.cpSync(server, path.join(staged, 'qwen-ls'), { recursive: true, verbatimSymlinks: true });
}
fs.mkdirSync(path.dirname(out), { recursive: true });
try {
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // The README's images and links resolve on the Marketplace and Open VSX from the repository.
  const repo = 'https://github.com/qwen-ls/qwen-ls';
  run(process.execPath, [
    vsce, 'package', '--no-dependencies',
    '--baseContentUrl', `${repo}/blob/HEAD/editors/vscode/`,
    '--baseImagesUrl', `${repo}/raw/HEAD/editors/vscode/`,
    ...(target ? ['--target', target] : []),
    '--out', out,
  ]);
} finally {
  fs.rmSync(staged, { recursive: true, force: true });
}
console.log(`package-vsix: ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
