// The real-editor runners' shared judgement (test/e2e/suites.mjs: the log scan, MIN_PASSED) and the desktop VS Code
// runner (test/e2e/run-electron.mjs) driven against a fake VS Code executable, since desktop VS Code cannot be
// downloaded here: what each suite's VS Code is started with (trust, logs, E2E_LOGS), and that a suite which passes
// too few tests, or whose logs hold a secret or were never written, fails the run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../../..');

interface Evidence {
  file: string;
  contains: string[];
}
interface SuiteSetup {
  name: string;
  trusted: boolean;
  secrets: string[];
  evidence: Evidence[];
}
interface Suites {
  SUITES: Record<'dev' | 'untrusted' | 'vsix', SuiteSetup>;
  MIN_PASSED: Record<string, number>;
  FIXTURE_SECRETS: string[];
  checkLogs(dir: string, secrets: string[], evidence: Evidence[]): string[];
  Tally: new () => {
    results: { name: string; passed: number; failed: number }[];
    record(suite: string, name: string, outcome: { exitCode: number; summary?: string; ms: number }): void;
  };
}

const load = async (): Promise<Suites> =>
  (await import(pathToFileURL(path.join(root, 'test/e2e/suites.mjs')).href)) as Suites;

describe('e2e runners: the shared judgement', () => {
  let suites: Suites;
  let dir: string;
  before(async () => {
    suites = await load();
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-e2e-logs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('checkLogs: no log at all, a missing evidence file or line, and a secret in any file are problems', () => {
    const logs = path.join(dir, 'logs');
    const evidence = [{ file: 'Login Policy.log', contains: ['[info] started'] }];
    assert.deepEqual(suites.checkLogs(logs, [], evidence), [`no log file was written under ${logs}`]);
    mkdirSync(path.join(logs, 'window1/exthost'), { recursive: true });
    writeFileSync(path.join(logs, 'window1/renderer.log'), 'nothing here\n');
    assert.deepEqual(suites.checkLogs(logs, [], evidence), ['no log file named "Login Policy.log"']);
    writeFileSync(path.join(logs, 'window1/exthost/Login Policy.log'), 'x [info] other\n');
    assert.deepEqual(suites.checkLogs(logs, [], evidence), ['"Login Policy.log" never says [info] started']);
    const secret = suites.FIXTURE_SECRETS[0]!;
    writeFileSync(path.join(logs, 'window1/exthost/Login Policy.log'), `x [info] started\nsecret=${secret}\n`);
    assert.deepEqual(suites.checkLogs(logs, suites.FIXTURE_SECRETS, evidence), [
      `window1/exthost/Login Policy.log holds a secret: ${secret.slice(0, 6)}…`,
    ]);
    writeFileSync(path.join(logs, 'window1/exthost/Login Policy.log'), 'x [info] started\n');
    assert.deepEqual(suites.checkLogs(logs, suites.FIXTURE_SECRETS, evidence), []);
  });

  it('Tally.record: a suite below MIN_PASSED, without its count line or with a failing exit code fails', (t) => {
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    const least = suites.MIN_PASSED['untrusted']!;
    const tally = new suites.Tally();
    tally.record('untrusted', 'enough', { exitCode: 0, summary: `${least} passed, 0 failed`, ms: 1 });
    tally.record('untrusted', 'too few', { exitCode: 0, summary: `${least - 1} passed, 0 failed`, ms: 1 });
    tally.record('untrusted', 'no count', { exitCode: 0, ms: 1 });
    tally.record('untrusted', 'exit 1', { exitCode: 1, summary: `${least} passed, 0 failed`, ms: 1 });
    assert.deepEqual(
      tally.results.map((r) => [r.name, r.failed > 0]),
      [
        ['enough', false],
        ['too few', true],
        ['no count', true],
        ['exit 1', true],
      ],
    );
  });
});

/**
 * A fake VS Code: records how it was started, then does what a suite run does to the files the runner reads (the
 * counts in E2E_RESULT_FILE, the logs under the user-data folder), as FAKE_* say. Its CLI (bin/code) records too.
 */
const FAKE_VSCODE = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const { SUITES, MIN_PASSED } = await import(process.env.FAKE_SUITES_URL);
const args = process.argv.slice(2);
const value = (name) => args[args.indexOf(name) + 1];
const userData = value('--user-data-dir');
const suite = process.env.E2E_SUITE;
appendFileSync(process.env.FAKE_RECORD, JSON.stringify({
  args, suite, logs: process.env.E2E_LOGS, userData,
  workspace: existsSync(args[0]),
  settings: JSON.parse(readFileSync(path.join(userData, 'User/settings.json'), 'utf8')),
}) + '\\n');
if (process.env.FAKE_NO_LOGS !== suite) {
  const channels = path.join(userData, 'logs/20250101T000000/window1/exthost/login-policy-lint.login-policy-lint');
  mkdirSync(channels, { recursive: true });
  for (const { file, contains } of SUITES[suite].evidence) writeFileSync(path.join(channels, file), contains.join('\\n'));
  writeFileSync(path.join(channels, 'Other.log'), process.env.FAKE_LEAK === suite ? 'token ' + SUITES.dev.secrets[0] : 'quiet');
}
const passed = MIN_PASSED[suite] - (process.env.FAKE_SHORT === suite ? 1 : 0);
writeFileSync(process.env.E2E_RESULT_FILE, JSON.stringify({ passed, failed: 0 }));
`;
const FAKE_CLI = `
import { appendFileSync } from 'node:fs';
appendFileSync(process.env.FAKE_RECORD, JSON.stringify({ cli: process.argv.slice(2) }) + '\\n');
`;

interface Started {
  args: string[];
  suite: string;
  logs: string;
  userData: string;
  workspace: boolean;
  settings: Record<string, unknown>;
}

describe('e2e runners: run-electron.mjs against a fake VS Code', () => {
  let dir: string;
  let executable: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-fake-vscode-'));
    executable = path.join(dir, 'VSCode-linux-x64/code');
    mkdirSync(path.join(dir, 'VSCode-linux-x64/bin'), { recursive: true });
    for (const [file, source] of [
      [executable, FAKE_VSCODE],
      [path.join(dir, 'VSCode-linux-x64/bin/code'), FAKE_CLI],
    ] as const) {
      writeFileSync(file, `#!${process.execPath}\n${source}`);
      chmodSync(file, 0o755);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the runner with the fake; returns its exit code, output and what each VS Code start recorded. */
  async function run(only: string, fake: Record<string, string> = {}) {
    const record = path.join(dir, `record-${Math.random().toString(36).slice(2)}.jsonl`);
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...fake,
      // A display, so that the runner does not re-run itself under xvfb-run.
      DISPLAY: ':99',
      VSCODE_EXECUTABLE: executable,
      FAKE_RECORD: record,
      FAKE_SUITES_URL: pathToFileURL(path.join(root, 'test/e2e/suites.mjs')).href,
    };
    delete env['E2E_GREP'];
    const child = spawn(process.execPath, [path.join(root, 'test/e2e/run-electron.mjs'), `--only=${only}`], { env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    const recorded = lines.map((l) => JSON.parse(l) as Started & { cli?: string[] });
    return {
      code,
      output,
      starts: recorded.filter((r) => !r.cli),
      cli: recorded.filter((r) => r.cli).map((r) => r.cli!),
    };
  }

  it('starts each suite as code-server does: trust, logs at trace, E2E_LOGS; installs the .vsix; passes', async () => {
    const { code, output, starts, cli } = await run('dev,untrusted,vsix');
    assert.equal(code, 0, output);
    assert.match(output, /\n\d+ passed, 0 failed\n$/);
    assert.deepEqual(
      starts.map((s) => s.suite),
      ['dev', 'untrusted', 'vsix'],
    );
    for (const s of starts) {
      assert.equal(s.logs, path.join(s.userData, 'logs'), `${s.suite}: E2E_LOGS is the user-data logs folder`);
      assert.ok(s.workspace, `${s.suite}: opens a copy of the fixture workspace`);
      assert.ok(s.args.includes(`--extensionTestsPath=${path.join(root, 'out/test/e2e/suite/index.js')}`));
    }
    const [dev, untrusted, vsix] = starts;
    assert.ok(dev!.args.includes('--disable-workspace-trust'));
    assert.ok(!untrusted!.args.includes('--disable-workspace-trust'), 'the untrusted suite keeps workspace trust');
    assert.equal(untrusted!.settings['security.workspace.trust.enabled'], true);
    assert.equal(dev!.settings['loginPolicy.trace.server'], 'verbose');
    for (const s of [dev!, untrusted!]) {
      assert.deepEqual(s.args.slice(s.args.indexOf('--log'), s.args.indexOf('--log') + 2), ['--log', 'trace']);
      assert.ok(s.args.includes(`--extensionDevelopmentPath=${root}`));
    }
    assert.ok(vsix!.args.includes(`--extensionDevelopmentPath=${path.join(root, 'test/e2e/vsix-host')}`));
    assert.equal(cli.length, 1);
    const extensions = vsix!.args[vsix!.args.indexOf('--extensions-dir') + 1];
    assert.deepEqual(cli[0]!.slice(0, 4), ['--user-data-dir', vsix!.userData, '--extensions-dir', extensions]);
    assert.match(cli[0]!.slice(4).join(' '), /^--install-extension .*login-policy-lint\.vsix$/);
    assert.match(output, /pass {2}no secret in any log: extension tests \(source\)/);
    assert.match(output, /pass {2}no secret in any log: untrusted workspace/);
  });

  it('fails when a suite passes fewer tests than MIN_PASSED', async () => {
    const { code, output } = await run('untrusted', { FAKE_SHORT: 'untrusted' });
    assert.equal(code, 1, output);
    assert.match(output, /untrusted workspace: \d+ tests passed, at least \d+ expected \(MIN_PASSED/);
  });

  it("fails when a log holds a fixture secret, in the untrusted suite's logs too", async () => {
    const { code, output } = await run('untrusted', { FAKE_LEAK: 'untrusted' });
    assert.equal(code, 1, output);
    assert.match(output, /Other\.log holds a secret: /);
  });

  it('fails when the editor wrote no log to scan', async () => {
    const { code, output } = await run('dev', { FAKE_NO_LOGS: 'dev' });
    assert.equal(code, 1, output);
    assert.match(output, /no log file was written under /);
  });
});
