// `npm run test:e2e`: the real-editor tests. Sets up the harness when missing (test/e2e/setup.sh), then runs the
// mocha suite in code-server's real VS Code (loaded from source, then from the packaged .vsix) and the UI smoke
// test. Where code-server cannot be set up, runs the same suite through @vscode/test-electron instead; only when
// neither works does it fail, saying why. Its last line is `N passed, N failed`.
// Options: --only=dev,untrusted,vsix,ui   E2E_VERBOSE=1 (all logs)   E2E_GREP=<pattern> (mocha grep)   CODE_SERVER_DIR
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageVsix, root } from './harness.mjs';
import { runSuite } from './run-codeserver.mjs';
import { SUITES, Tally, wantedBy } from './suites.mjs';

const wanted = wantedBy(process.argv, ['dev', 'untrusted', 'vsix', 'ui']);
const tally = new Tally();

/** Runs a suite in code-server and records its tests and, when it scans them, its logs. */
async function run(suite, vsix) {
  const outcome = await runSuite({ suite, vsix });
  tally.record(suite, SUITES[suite].name, outcome);
  if (outcome.logProblems) tally.logs(SUITES[suite].name, outcome.logProblems);
  return outcome;
}

// 1. Harness: code-server here, or the @vscode/test-electron path where this machine cannot host it.
const setupStarted = Date.now();
const setup = spawnSync('bash', [path.join(root, 'test/e2e/setup.sh')], { stdio: 'inherit', env: process.env });
tally.metrics.push(`harness setup: ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
if (setup.status === 3) {
  console.log('e2e: code-server cannot be set up here; running the same suite through @vscode/test-electron.');
  const electron = spawnSync(
    process.execPath,
    [path.join(root, 'test/e2e/run-electron.mjs'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(electron.status ?? 1);
}
if (setup.status !== 0) {
  console.error('e2e: setting up code-server failed (see above); nothing was tested.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// 2. The suite, with the extension loaded from this folder (extensionDevelopmentPath).
if (wanted('dev')) {
  console.log('\ne2e: extension tests in code-server (extension loaded from source)');
  const outcome = await run('dev');
  const server = outcome.memory['language server'];
  if (server)
    tally.metrics.push(`language server memory in the editor: ${server.pssMiB} MiB PSS (${server.rssMiB} MiB RSS)`);
  const host = outcome.memory['extension host'];
  if (host) tally.metrics.push(`extension host memory: ${host.pssMiB} MiB PSS`);
}

// 2b. A workspace that is not trusted: the extension works in Restricted Mode and makes no request.
if (wanted('untrusted')) {
  console.log('\ne2e: extension tests in an untrusted workspace');
  await run('untrusted');
}

// 3. The packaged .vsix, installed as a user would.
if (wanted('vsix')) {
  console.log('\ne2e: the packaged extension (.vsix) in code-server');
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-vsix-'));
  const vsix = path.join(dir, 'login-policy-lint.vsix');
  const packaged = packageVsix(vsix, process.env.E2E_VERBOSE ? 'inherit' : 'pipe');
  if (packaged.status !== 0) {
    console.error(`e2e: vsce package failed:\n${packaged.stdout ?? ''}${packaged.stderr ?? ''}`);
    tally.fail('packaged extension: vsce package');
  } else {
    await run('vsix', vsix);
  }
  rmSync(dir, { recursive: true, force: true });
}

// 4. What a person sees: squiggles, the Problems panel, a hover, the quick-fix menu; with screenshots.
if (wanted('ui')) {
  console.log('\ne2e: UI smoke test (Playwright driving the workbench)');
  const uiStarted = Date.now();
  const ui = spawnSync(process.execPath, [path.join(root, 'test/e2e/ui-smoke.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(ui.stdout);
  const summary = ui.stdout.trim().split('\n').at(-1);
  tally.record('ui', 'UI smoke test', { exitCode: ui.status ?? 1, summary, ms: Date.now() - uiStarted });
}

process.exit(tally.finish());
