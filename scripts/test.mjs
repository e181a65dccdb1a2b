// `npm test`: every check that can run on this machine, in order, each with its time, then a summary.
// Usage: npm test [-- --only=unit,cli] [-- --skip=lint]
// A node:test step runs the compiled test files of its folder, named one by one, and is judged by what ran, not only
// by node's exit code: it fails when there is no test file, when a test file passed no test (none found, or all
// skipped), or when fewer tests passed than its floor. Skipped and todo tests are shown in the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { judgeStep } from './test-verdict.mjs';

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
const steps = [
  { name: 'typecheck', cmd: [bin('tsc'), '-b'] },
  { name: 'lint', cmd: [bin('eslint'), '.'], also: [[bin('prettier'), '--check', '.']] },
  { name: 'build', cmd: [node, 'esbuild.mjs'] },
  // `least`: the fewest tests the step passes (today's count, less a margin for tests merged away); raise it as tests
  // are added. A step that silently loses a test file, or whose tests stop loading, fails instead of passing.
  { name: 'unit', tests: 'unit', least: 750 },
  { name: 'grammar', tests: 'grammar', least: 14 },
  { name: 'cli', tests: 'cli', least: 110 },
  { name: 'lsp', tests: 'lsp', least: 74 },
  // No secret in any output: the CLI in every format and every byte the server sends, with a planted canary.
  { name: 'leak', tests: 'leak', least: 16 },
  // The language server in a real Neovim, started by the README's snippet; installs Neovim from apt when missing.
  // Exit 77: no Neovim and no way to install it here, so the step is skipped (and counted as such, not passed).
  { name: 'neovim', cmd: [node, 'test/neovim/run.mjs'], skipCode: 77 },
  // Real-editor tests: sets up code-server when missing (or falls back to @vscode/test-electron), see CONTRIBUTING.
  { name: 'e2e', cmd: [node, 'test/e2e/run.mjs'] },
];

const unknown = [...(only ?? []), ...skip].filter((name) => !steps.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`test: no step named ${unknown.join(', ')}; the steps are ${steps.map((s) => s.name).join(', ')}.`);
  process.exit(2);
}

/**
 * The compiled test files of test/<folder>: one per source test file. A source whose compiled file is missing is
 * reported (not built); a compiled file whose source is gone is left out (stale: it tests code that moved on).
 */
function testFiles(folder) {
  const sources = listTests(path.join(root, 'test', folder), '.test.ts');
  const compiled = new Set(listTests(path.join(root, 'out/test', folder), '.test.js'));
  const files = sources.map((s) => path.join(root, 'out/test', folder, s.replace(/\.ts$/, '.js')));
  const missing = files.filter((f) => !existsSync(f)).map((f) => path.relative(root, f));
  const wanted = new Set(files.map((f) => path.relative(path.join(root, 'out/test', folder), f)));
  const stale = [...compiled].filter((f) => !wanted.has(f)).map((f) => path.join('out/test', folder, f));
  return { files: files.filter((f) => existsSync(f)), missing, stale };
}

/** Paths (relative to `dir`) of the files below it whose names end with `suffix`, sorted; none when it is missing. */
function listTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Runs one node:test step over its files; returns what ran and, when it is not a pass, why. */
function runTests(step) {
  const { files, missing, stale } = testFiles(step.tests);
  if (stale.length > 0) console.log(`(left out, their sources are gone: ${stale.join(', ')})`);
  const where = `test/${step.tests}`;
  if (files.length === 0)
    return judgeStep({ where, files, missing, least: step.least, status: null, counts: undefined, root });
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-test-counts-'));
  const countsFile = path.join(dir, 'counts.json');
  // A test that hangs fails after this long instead of holding the run (and CI) until its own limit.
  const run = spawnSync(
    node,
    [
      '--test',
      '--test-timeout=300000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts/test-counts-reporter.mjs')}`,
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  let counts;
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    counts = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  return judgeStep({ where, files, missing, least: step.least, status: run.status, signal: run.signal, counts, root });
}

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
  if (step.tests) {
    const outcome = runTests(step);
    for (const problem of outcome.problems) console.error(`test: ${step.name}: ${problem}`);
    const counts = [
      outcome.pass !== undefined && `${outcome.pass} passed`,
      outcome.skipped > 0 && `${outcome.skipped} skipped`,
      outcome.todo > 0 && `${outcome.todo} todo`,
    ].filter(Boolean);
    const note = [...counts, ...outcome.problems].join(', ');
    results.push({ name: step.name, ok: outcome.ok, ms: Date.now() - started, note });
    continue;
  }
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
process.exit(failed || results.length === 0 ? 1 : 0);
