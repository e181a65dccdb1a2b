// The built CLI on fixture folders: every output format, every exit code, discovery and config handling.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, runCli, type CliRun } from '../support/cli';
import { repoRoot } from '../support/lsp-client';
import { policy } from '../unit/harness';

const fixtures = path.join(repoRoot, 'test/fixtures/cli');
const CANARY = 'c4n4ry5ecr3tc4n4ry5ecr3tc4n4ry5e';

function run(args: string[], cwd = fixtures): CliRun {
  const out = runCli(args, cwd);
  assert.ok(!out.stdout.includes(CANARY) && !out.stderr.includes(CANARY), 'no secret in any output');
  return out;
}

interface JsonOutput {
  files: {
    path: string;
    diagnostics: {
      rule: string;
      severity: string;
      message: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }[];
  }[];
  summary: { files: number; errors: number; warnings: number; infos: number; hints: number };
}

describe('login-policy-lint', () => {
  it('exits 0 and says so on clean policies', () => {
    const { code, stdout } = run([], path.join(fixtures, 'clean'));
    assert.equal(code, 0);
    assert.equal(stdout, 'No problems in 1 file.\n');
  });

  it('prints path:line:column: severity rule-id: message and exits 1 on errors', () => {
    const { code, stdout } = run(['mixed']);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      'mixed/policies/broken.loginpolicy.json:1:1: error schema: Missing required property "loginURL" (login URL) in the login policy: expected https://v1.api.{region}.janrain.com/{customerId}/auth-ui/v2/login.',
      'mixed/policies/broken.loginpolicy.json:3:13: error schema: "identityStoreDetails.type" must be "janrainCapture", not "janrain".',
      'mixed/policies/broken.loginpolicy.json:13:3: warning unknown-property: "loginUrl" is not a property of the login policy. Did you mean "loginURL"?',
      'mixed/v1.loginpolicy.json:12:15: info hosted-login-v1: This policy uses Hosted Login v1 (/auth-ui/login). Switching "loginURL" to /auth-ui/v2/login moves every OIDC client on this policy to v2 at once; update the flow for v2 first, or create a new v2 policy and move clients one by one.',
    ]);
    assert.equal(lines.at(-1), '4 problems (2 errors, 1 warning, 1 info, 0 hints) in 3 files.');
  });

  it('prints one JSON object with zero-based ranges and a summary', () => {
    const { code, stdout } = run(['--format', 'json', 'mixed']);
    assert.equal(code, 1);
    const output = JSON.parse(stdout) as JsonOutput;
    assert.deepEqual(
      output.files.map((f) => f.path),
      ['mixed/policies/broken.loginpolicy.json', 'mixed/policies/good.loginpolicy.json', 'mixed/v1.loginpolicy.json'],
    );
    assert.deepEqual(output.summary, { files: 3, errors: 2, warnings: 1, infos: 1, hints: 0 });
    const type = output.files[0]!.diagnostics[1]!;
    assert.deepEqual(type, {
      rule: 'schema',
      severity: 'error',
      message: '"identityStoreDetails.type" must be "janrainCapture", not "janrain".',
      range: { start: { line: 2, character: 12 }, end: { line: 2, character: 21 } },
    });
    assert.deepEqual(Object.keys(output), ['files', 'summary']);
  });

  it('prints SARIF 2.1.0 with rules, help and located results', () => {
    const { code, stdout } = run(['--format', 'sarif', 'mixed']);
    assert.equal(code, 1);
    const log = JSON.parse(stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; help?: { markdown: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
          }[];
        }[];
      }[];
    };
    assert.equal(log.version, '2.1.0');
    const [runLog] = log.runs;
    assert.equal(runLog!.tool.driver.name, 'login-policy-lint');
    const ids = runLog!.tool.driver.rules.map((r) => r.id);
    assert.ok(ids.includes('schema') && ids.includes('hosted-login-v1'));
    assert.ok(
      runLog!.tool.driver.rules.every((r) => r.help?.markdown.startsWith(`# ${r.id}`)),
      'every rule carries its docs',
    );
    assert.equal(runLog!.results.length, 4);
    const type = runLog!.results[1]!;
    assert.equal(type.ruleId, 'schema');
    assert.equal(type.level, 'error');
    assert.equal(ids[type.ruleIndex], 'schema');
    assert.deepEqual(
      type.locations[0]!.physicalLocation.artifactLocation.uri,
      'mixed/policies/broken.loginpolicy.json',
    );
    assert.deepEqual(
      [type.locations[0]!.physicalLocation.region.startLine, type.locations[0]!.physicalLocation.region.startColumn],
      [3, 13],
    );
    assert.equal(runLog!.results[3]!.level, 'note');
  });

  it('counts warnings against --max-warnings', () => {
    assert.equal(run(['warnings']).code, 0);
    assert.equal(run(['--max-warnings', '1', 'warnings']).code, 0);
    assert.equal(run(['--max-warnings', '-1', 'warnings']).code, 0, '-1: no limit, as in ESLint');
    assert.equal(run(['--max-warnings=-1', 'warnings']).code, 0);
    const over = run(['--max-warnings', '0', 'warnings']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
  });

  it('overrides severities with --rule', () => {
    const downgraded = run(['--rule', 'schema=warning', '--format', 'json', 'mixed/policies/broken.loginpolicy.json']);
    assert.equal(downgraded.code, 0);
    assert.equal((JSON.parse(downgraded.stdout) as JsonOutput).summary.errors, 0);
    const off = run(['--rule', 'schema=off', '--rule', 'unknown-property=off', 'mixed/policies']);
    assert.equal(off.stdout, 'No problems in 2 files.\n');
  });

  it('exits 2 with a clear message on bad usage', () => {
    for (const [args, pattern] of [
      [['--format', 'xml'], /--format must be text, json or sarif, not "xml"/],
      [['--rule', 'stale=off'], /unknown rule "stale"/],
      [['--rule', 'schema=loud'], /severity must be one of off, hint, info, warning, error/],
      [['--max-warnings', 'many'], /--max-warnings must be a whole number/],
      [['--nope'], /unknown option: "--nope"\./],
      [['--formt', 'json'], /unknown option: "--formt" \(did you mean "--format"\?\)/],
      // A long unknown option or value may be a secret typed in the wrong place: described, never echoed.
      [['--c0nf1g-s3cr3t-4b9d7e2f1a'], /unknown option: a 26-character value\./],
      [['--format', 's3cr3t-4b9d7e2f1a9c'], /--format must be text, json or sarif, not a 19-character value/],
      [['--rule', 'schema=s3cr3t-4b9d7e2f1a9c'], /\(got a 19-character value\)/],
      [['does-not-exist'], /No files match "does-not-exist"/],
      [['--config', 'missing.json'], /--config: cannot read "missing.json"/],
    ] as [string[], RegExp][]) {
      const { code, stderr } = run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, pattern);
    }
  });

  it('exits 2 on a broken config, pointing at the problem', () => {
    const { code, stdout, stderr } = run([], path.join(fixtures, 'bad-config'));
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^\.loginpolicyrc\.json:3:14: error invalid-config: Unknown rule "hosted-login-1"\. Did you mean "hosted-login-v1"\?$/m,
    );
    assert.match(stderr, /nothing was linted/);
  });

  it('lints the config "policies" globs when given no paths, with its rule overrides', () => {
    const { code, stdout } = run(['--format', 'json'], path.join(fixtures, 'custom-globs'));
    const output = JSON.parse(stdout) as JsonOutput;
    assert.deepEqual(
      output.files.map((f) => f.path),
      ['deployed/prod.json'],
    );
    assert.deepEqual(
      output.files[0]!.diagnostics.map((d) => d.rule),
      ['schema'],
      'hosted-login-v1 is off in this config',
    );
    assert.equal(code, 1);
  });

  it('lints what the editor treats as policies by name when given no paths and no config', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-cli-names-'));
    try {
      const files = [
        'acme.loginpolicy.json',
        'loginPolicies/prod.json',
        'config/login-policies/eu/staging.json',
        'node_modules/pkg/loginPolicies/vendored.json',
        'notes/other.json',
      ];
      for (const file of files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), policy());
      }
      const { stdout } = run(['--format', 'json'], dir);
      assert.deepEqual(
        (JSON.parse(stdout) as JsonOutput).files.map((f) => f.path),
        ['acme.loginpolicy.json', 'config/login-policies/eu/staging.json', 'loginPolicies/prod.json'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses --config for every file', () => {
    const { stdout } = run([
      '--config',
      'custom-globs/.loginpolicyrc.json',
      '--format',
      'json',
      'mixed/v1.loginpolicy.json',
    ]);
    assert.deepEqual((JSON.parse(stdout) as JsonOutput).files[0]!.diagnostics, []);
  });

  it('finds policies in a folder by content, skipping other JSON', () => {
    const { stdout } = run(['--format', 'json', 'plain-json']);
    const output = JSON.parse(stdout) as JsonOutput;
    assert.deepEqual(
      output.files.map((f) => f.path),
      ['plain-json/prod.json'],
    );
    assert.match(output.files[0]!.diagnostics[0]!.message, /Missing required property "title"/);
  });

  it('accepts globs', () => {
    const { stdout } = run(['--format', 'json', 'mixed/**/*.loginpolicy.json']);
    assert.equal((JSON.parse(stdout) as JsonOutput).summary.files, 3);
  });

  it('stops quietly when its reader goes away (| head), still exiting with the result', async () => {
    // Enough output that the pipe is closed while the CLI still writes: a valid policy with thousands of unknown
    // keys, warnings only, so exit 0 tells a quiet stop from a crash (which exits 1).
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-cli-pipe-'));
    try {
      const wide = JSON.parse(policy()) as Record<string, unknown>;
      for (let i = 0; i < 20_000; i++) wide[`k${i}`] = 1;
      writeFileSync(path.join(dir, 'wide.loginpolicy.json'), JSON.stringify(wide));
      const child = spawn(process.execPath, [cliPath, '--format', 'sarif', 'wide.loginpolicy.json'], { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(stderr, '', 'no stack trace');
      assert.equal(code, 0, 'the findings (warnings only) still decide the exit code');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help and version', () => {
    const help = run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: login-policy-lint \[paths or globs…\]/);
    const version = run(['--version']);
    assert.equal(version.code, 0);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), manifest.version);
  });
});
