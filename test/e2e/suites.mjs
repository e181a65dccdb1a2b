// What both real-editor runners share, so that code-server (run.mjs) and desktop VS Code (run-electron.mjs) judge a
// run alike: each suite's editor set-up, the secrets no editor log may hold and the log lines that show the scan had
// something to scan, the fewest tests each suite must pass, and the tally whose last line is `N passed, N failed`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every owner secret in the fixture workspace and the ones the suite records or checks live. */
export const FIXTURE_SECRETS = [
  'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4',
  '6kr5746q7e4ex2gfedp8ehzjemwjjsqe',
  'n3ws3cr3tn3ws3cr3tn3ws3cr3tn3ws3',
  'st4l3st4l3st4l3st4l3st4l3st4l3st',
  'curr3ntcurr3ntcurr3ntcurr3ntcurr',
  'fr0z3ns3cr3tfr0z3ns3cr3tfr0z3ns3',
  'n3wfr0z3nn3wfr0z3nn3wfr0z3nn3wfr',
  'un0p3n3ds3cr3tun0p3n3ds3cr3tun0p',
  // Identity Cloud (identity-cloud.test.ts, untrusted.test.ts): the demo's configuration client, its owner client's
  // current secret (the expired one is the vendor page's, above), and a wrong configuration secret typed into Connect.
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
 * Each suite of test/e2e/suite/ a runner starts an editor for (E2E_SUITE), with that editor's set-up: `trusted`
 * (false: the folder opens in Restricted Mode), user `settings`, and the log scan after the run: `secrets` no log
 * may hold, `evidence` log files that must exist and say these things (given either, the editor logs at trace level).
 */
export const SUITES = {
  // Tracing on at its most verbose: no secret from the fixtures or the record command may reach any log.
  dev: {
    name: 'extension tests (source)',
    trusted: true,
    settings: { 'loginPolicy.trace.server': 'verbose' },
    secrets: FIXTURE_SECRETS,
    evidence: LOG_EVIDENCE,
  },
  // Connect is given a configuration secret here too: refused, and never logged.
  untrusted: {
    name: 'untrusted workspace',
    trusted: false,
    settings: {},
    secrets: FIXTURE_SECRETS,
    evidence: [{ file: 'Login Policy.log', contains: ['[info] login-policy-language-server '] }],
  },
  vsix: { name: 'packaged extension (.vsix)', trusted: true, settings: {}, secrets: [], evidence: [] },
};

/**
 * The fewest tests each suite passes today (take them from a full run). A suite that silently loses tests, or
 * runs none, fails: a test file that no longer loads, a describe that is skipped. Raise them as tests are added.
 * With E2E_GREP only one test is required per suite, but still one.
 */
export const MIN_PASSED = { dev: 43, untrusted: 3, vsix: 2, ui: 6 };

/** Whether the command line's `--only=a,b` (none: every suite) picks `name`; a name not in `known` is an error. */
export function wantedBy(argv, known) {
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = (only ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(`--only: no suite named ${unknown.join(', ')} (the suites: ${known.join(', ')})`);
  return (name) => !only || only.includes(name);
}

/** Where an editor started with `--user-data-dir userData` writes its logs (output channels, LSP trace, hosts). */
export function logsOf(userData) {
  return path.join(userData, 'logs');
}

/**
 * What is wrong with the logs under `dir`: no log file at all, an `evidence` file missing or without one of its
 * strings (then the scan would pass on a log that was never written), or a file that holds one of `secrets`.
 */
export function checkLogs(dir, secrets, evidence) {
  const files = logFiles(dir);
  if (files.length === 0) return [`no log file was written under ${dir}`];
  const problems = [];
  const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
  for (const { file: name, contains } of evidence) {
    const named = files.filter((file) => path.basename(file) === name);
    if (named.length === 0) {
      problems.push(`no log file named "${name}"`);
      continue;
    }
    const text = named.map((file) => texts.get(file)).join('\n');
    for (const needle of contains) if (!text.includes(needle)) problems.push(`"${name}" never says ${needle}`);
  }
  for (const [file, text] of texts) {
    for (const secret of secrets)
      if (text.includes(secret)) problems.push(`${path.relative(dir, file)} holds a secret: ${secret.slice(0, 6)}…`);
  }
  return problems;
}

/** Every file below `dir` (none when it does not exist). */
function logFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** The results of a runner's suites and checks, printed at the end with `N passed, N failed` last. */
export class Tally {
  results = [];
  metrics = [];
  started = Date.now();

  /**
   * A suite's outcome (`summary`: its `N passed, N failed` line, if it printed one), held to MIN_PASSED[suite]: a
   * suite that passed fewer tests, or printed no count, fails.
   */
  record(suite, name, { exitCode, summary, ms }) {
    const match = /^(\d+) passed, (\d+) failed$/.exec(summary ?? '');
    const passed = match ? Number(match[1]) : 0;
    let failed = match ? Number(match[2]) : 0;
    if (exitCode !== 0) failed = Math.max(failed, 1);
    const least = process.env.E2E_GREP && suite !== 'ui' ? 1 : MIN_PASSED[suite];
    if (passed < least) {
      console.error(
        `e2e: ${name}: ${passed} tests passed, at least ${least} expected (MIN_PASSED in test/e2e/suites.mjs)` +
          (match ? '' : '; the suite printed no "N passed, N failed" line'),
      );
      failed = Math.max(failed, 1);
    } else if (!process.env.E2E_GREP && failed === 0 && passed > least) {
      console.log(
        `e2e: ${name}: ${passed} tests passed; raise MIN_PASSED.${suite} in test/e2e/suites.mjs to ${passed}`,
      );
    }
    this.results.push({ name, passed, failed, ms });
  }

  /** The log scan of a suite's run (`problems` from checkLogs), as a result of its own. */
  logs(name, problems) {
    if (problems.length > 0) console.error(`e2e: the editor's logs (${name}):\n  ${problems.join('\n  ')}`);
    this.results.push({
      name: `no secret in any log: ${name}`,
      passed: problems.length ? 0 : 1,
      failed: problems.length ? 1 : 0,
      ms: 0,
    });
  }

  /** A check that failed before it could run (nothing packaged, nothing installed). */
  fail(name) {
    this.results.push({ name, passed: 0, failed: 1, ms: 0 });
  }

  /** Prints the summary, `N passed, N failed` last; returns the exit code (1 also when nothing ran). */
  finish() {
    console.log('\ne2e summary');
    for (const r of this.results) {
      console.log(
        `  ${r.failed ? 'FAIL' : 'pass'}  ${r.name.padEnd(48)} ${r.passed} passed, ${r.failed} failed  ${(r.ms / 1000).toFixed(1)} s`,
      );
    }
    for (const m of this.metrics) console.log(`  ${m}`);
    console.log(`  total: ${((Date.now() - this.started) / 1000).toFixed(1)} s`);
    const passed = this.results.reduce((n, r) => n + r.passed, 0);
    const failed = this.results.reduce((n, r) => n + r.failed, 0);
    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 || this.results.length === 0 ? 1 : 0;
  }
}
