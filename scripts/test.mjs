// `npm test`: every check that can run on this machine, in order, each with its time, then a summary.
// Usage: npm test [-- --only=unit,cli] [-- --skip=lint]
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const pick = (name) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')[1]
    ?.split(',');
const only = pick('only');
const skip = pick('skip') ?? [];

const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules/.bin', name);
// A test that hangs fails after this long instead of holding the run (and CI) until its own limit.
const nodeTest = (folder) => [node, '--test', '--test-reporter=spec', '--test-timeout=300000', folder];
const steps = [
  { name: 'typecheck', cmd: [bin('tsc'), '-b'] },
  { name: 'lint', cmd: [bin('eslint'), '.'], also: [[bin('prettier'), '--check', '.']] },
  { name: 'build', cmd: [node, 'esbuild.mjs'] },
  { name: 'unit', cmd: nodeTest('out/test/unit') },
  { name: 'grammar', cmd: nodeTest('out/test/grammar') },
  { name: 'cli', cmd: nodeTest('out/test/cli') },
  { name: 'lsp', cmd: nodeTest('out/test/lsp') },
  // No secret in any output: the CLI in every format and every byte the server sends, with a planted canary.
  { name: 'leak', cmd: nodeTest('out/test/leak') },
  // The language server in a real Neovim, started by the README's snippet; installs Neovim from apt when missing.
  // Exit 77: no Neovim and no way to install it here, so the step is skipped (and counted as such, not passed).
  { name: 'neovim', cmd: [node, 'test/neovim/run.mjs'], skipCode: 77 },
  // Real-editor tests: sets up code-server when missing (or falls back to @vscode/test-electron), see CONTRIBUTING.
  { name: 'e2e', cmd: [node, 'test/e2e/run.mjs'] },
];

const results = [];
for (const step of steps) {
  if ((only && !only.includes(step.name)) || skip.includes(step.name)) continue;
  const needsBuild = ['unit', 'grammar', 'cli', 'lsp', 'leak', 'neovim', 'e2e'].includes(step.name);
  if (needsBuild && results.some((r) => (r.name === 'typecheck' || r.name === 'build') && !r.ok)) {
    results.push({ name: step.name, ok: false, ms: 0, note: 'not run: the build failed' });
    continue;
  }
  console.log(`\n▶ ${step.name}`);
  const started = Date.now();
  let ok = true;
  let skipped = false;
  for (const [command, ...rest] of [step.cmd, ...(step.also ?? [])]) {
    const run = spawnSync(command, rest, { cwd: root, stdio: 'inherit' });
    skipped ||= step.skipCode !== undefined && run.status === step.skipCode;
    ok &&= run.status === 0 || skipped;
  }
  results.push({ name: step.name, ok, skipped, ms: Date.now() - started });
}

console.log('\nSummary');
for (const r of results) {
  const outcome = r.skipped ? 'skip' : r.ok ? 'pass' : 'FAIL';
  console.log(
    `  ${outcome}  ${r.name.padEnd(10)} ${(r.ms / 1000).toFixed(1).padStart(6)} s${r.note ? `  (${r.note})` : ''}`,
  );
}
const failed = results.filter((r) => !r.ok).length;
const skipped = results.filter((r) => r.skipped).length;
console.log(`${results.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
