// Type-check with tsc, then bundle with esbuild.
//   node scripts/build.mjs           → dist/extension.js (vscode-languageclient bundled in)
//   node scripts/build.mjs --tests   → out/test/*.test.js (unit tests of the pure modules)
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tests = process.argv.includes('--tests');
const production = process.argv.includes('--production');

try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'inherit' });
} catch {
  console.error('build: type errors (see above)');
  process.exit(1);
}

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', absWorkingDir: root };
if (tests) {
  rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
  const entryPoints = readdirSync(join(root, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(root, 'test', f));
  await esbuild.build({ ...common, entryPoints, outdir: join(root, 'out', 'test'), sourcemap: 'inline' });
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'src', 'extension.ts')],
    outfile: join(root, 'dist', 'extension.js'),
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
  });
}
