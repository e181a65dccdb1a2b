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

/** Every owner secret in the fixture workspace and the ones the suite records or checks live. */
const FIXTURE_SECRETS = [
  'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4',
  '6kr5746q7e4ex2gfedp8ehzjemwjjsqe',
  'n3ws3cr3tn3ws3cr3tn3ws3cr3tn3ws3',
  'st4l3st4l3st4l3st4l3st4l3st4l3st',
  'curr3ntcurr3ntcurr3ntcurr3ntcurr',
  'fr0z3ns3cr3tfr0z3ns3cr3tfr0z3ns3',
  'n3wfr0z3nn3wfr0z3nn3wfr0z3nn3wfr',
  'un0p3n3ds3cr3tun0p3n3ds3cr3tun0p',
  // Identity Cloud (identity-cloud.test.ts): the demo's configuration client, its owner client's current secret
  // (the expired one is the vendor page's, above), and a wrong configuration secret typed into Connect.
  'Zk3vQ9rT1mX7pL2wB8nC4yH6jD0sF5gAe1uR7tK3oV9q',
  '2s277py2cv4ffg6vfwwjb2yf762tpfmv',
  'Wr0ngC0nf1gS3cr3tWr0ngC0nf1gS3cr3tWr0ng',
  // Rotation (rotate.test.ts): the owner client's old and current secrets and the configuration client's. The secret
  // its reset makes exists only at run time: the test itself scans the logs for it.
  'e2er0t4t30ld5ecr3te2er0t4t30ld5e',
  'e2er0t4t3curr3nte2er0t4t3curr3nt',
  'E2eR0tat3C0nfigCl13ntS3cr3t-0123456789abc',
];

/**
 * What the logs of the source run must show before "no secret in any log" means anything: the extension's own
 * log, and the LSP message trace at verbose, with the messages' params (document texts shown as their length). A
 * trace that was never written (tracing off, or the client's trace channel broken) fails here instead of passing.
 */
const LOG_EVIDENCE = [
  { file: 'Login Policy.log', contains: ['[info] login-policy-language-server ', '[info] Workspace scan: '] },
  {
    file: 'Login Policy Language Server Trace.log',
    contains: [
      "[trace] Sending notification 'textDocument/didOpen'",
      "[trace] Received notification 'textDocument/publishDiagnostics'",
      // A traced didOpen's params (verbose), whose document text the trace channel shows as its length only.
      ' characters of document text>',
    ],
  },
];

/**
 * The fewest tests each suite passes today (take them from a full run). A suite that silently loses tests, or
 * runs none, fails: a test file that no longer loads, a describe that is skipped. Raise them as tests are added.
 * With E2E_GREP only one test is required per suite, but still one.
 */
const MIN_PASSED = { dev: 42, untrusted: 3, vsix: 2, ui: 6 };

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (name) => !only || only.includes(name);
const results = [];
const metrics = [];
const started = Date.now();

function record(suite, name, outcome) {
  const match = /^(\d+) passed, (\d+) failed$/.exec(outcome.summary ?? '');
  const passed = match ? Number(match[1]) : 0;
  let failed = match ? Number(match[2]) : 0;
  if (outcome.exitCode !== 0) failed = Math.max(failed, 1);
  const least = process.env.E2E_GREP && suite !== 'ui' ? 1 : MIN_PASSED[suite];
  if (passed < least) {
    console.error(
      `e2e: ${name}: ${passed} tests passed, at least ${least} expected (MIN_PASSED in test/e2e/run.mjs)` +
        (match ? '' : '; the suite printed no "N passed, N failed" line'),
    );
    failed = Math.max(failed, 1);
  } else if (!process.env.E2E_GREP && failed === 0 && passed > least) {
    console.log(`e2e: ${name}: ${passed} tests passed; raise MIN_PASSED.${suite} in test/e2e/run.mjs to ${passed}`);
  }
  results.push({ name, passed, failed, ms: outcome.ms });
}

// 1. Harness: code-server here, or the @vscode/test-electron path where this machine cannot host it.
const setupStarted = Date.now();
const setup = spawnSync('bash', [path.join(root, 'test/e2e/setup.sh')], { stdio: 'inherit', env: process.env });
metrics.push(`harness setup: ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
if (setup.status === 3) {
  console.log('e2e: code-server cannot be set up here; running the same suite through @vscode/test-electron.');
  const electron = spawnSync(process.execPath, [path.join(root, 'test/e2e/run-electron.mjs')], { stdio: 'inherit' });
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
  // Tracing on at its most verbose: no secret from the fixtures or the record command may reach any log.
  const outcome = await runSuite({
    suite: 'dev',
    settings: { 'loginPolicy.trace.server': 'verbose' },
    secrets: FIXTURE_SECRETS,
    evidence: LOG_EVIDENCE,
  });
  record('dev', 'extension tests (source)', outcome);
  if (outcome.logProblems.length > 0) {
    console.error(`e2e: the editor's logs:\n  ${outcome.logProblems.join('\n  ')}`);
    results.push({ name: 'no secret in any editor log', passed: 0, failed: 1, ms: 0 });
  } else {
    results.push({ name: 'no secret in any editor log', passed: 1, failed: 0, ms: 0 });
  }
  const server = outcome.memory['language server'];
  if (server) metrics.push(`language server memory in the editor: ${server.pssMiB} MiB PSS (${server.rssMiB} MiB RSS)`);
  const host = outcome.memory['extension host'];
  if (host) metrics.push(`extension host memory: ${host.pssMiB} MiB PSS`);
}

// 2b. A workspace that is not trusted: the extension works in Restricted Mode and makes no request.
if (wanted('untrusted')) {
  console.log('\ne2e: extension tests in an untrusted workspace');
  record('untrusted', 'untrusted workspace', await runSuite({ suite: 'untrusted' }));
}

// 3. The packaged .vsix, installed as a user would.
if (wanted('vsix')) {
  console.log('\ne2e: the packaged extension (.vsix) in code-server');
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-vsix-'));
  const vsix = path.join(dir, 'login-policy-lint.vsix');
  const packaged = packageVsix(vsix, process.env.E2E_VERBOSE ? 'inherit' : 'pipe');
  if (packaged.status !== 0) {
    console.error(`e2e: vsce package failed:\n${packaged.stdout ?? ''}${packaged.stderr ?? ''}`);
    results.push({ name: 'packaged extension', passed: 0, failed: 1, ms: 0 });
  } else {
    record('vsix', 'packaged extension (.vsix)', await runSuite({ suite: 'vsix', vsix }));
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
  record('ui', 'UI smoke test', { exitCode: ui.status ?? 1, summary, ms: Date.now() - uiStarted });
}

console.log('\ne2e summary');
for (const r of results) {
  console.log(
    `  ${r.failed ? 'FAIL' : 'pass'}  ${r.name.padEnd(32)} ${r.passed} passed, ${r.failed} failed  ${(r.ms / 1000).toFixed(1)} s`,
  );
}
for (const m of metrics) console.log(`  ${m}`);
console.log(`  total: ${((Date.now() - started) / 1000).toFixed(1)} s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
