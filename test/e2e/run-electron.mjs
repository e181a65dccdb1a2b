// The same real-editor suites in desktop VS Code, for machines with internet (and the fallback of run.mjs where
// code-server cannot be set up): @vscode/test-electron downloads VS Code (VSCODE_VERSION, default 1.100.3) into
// .vscode-test/, or VSCODE_EXECUTABLE names one; then out/test/e2e/suite/index.js runs in it with the extension loaded
// from source, in an untrusted workspace, and from the packaged .vsix. Each suite is set up, held to its MIN_PASSED
// and has its logs scanned as in code-server (test/e2e/suites.mjs). On Linux without a display it re-runs itself under
// xvfb-run. Options: --only=dev,untrusted,vsix. Last line: `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeSandbox, packageVsix, removeSandbox, root, sandboxEnv } from './harness.mjs';
import { checkLogs, logsOf, SUITES, Tally, wantedBy } from './suites.mjs';

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  const xvfb = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
  if (xvfb.error) {
    console.error(
      'e2e (electron): there is no display and xvfb-run is missing. Install it (Debian/Ubuntu: apt-get install xvfb) ' +
        'or run with a display.',
    );
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  process.exit(xvfb.status ?? 1);
}

const SUITE_ENTRY = path.join(root, 'out/test/e2e/suite/index.js');
/** A declarative extension that only hosts the tests when the real one is installed from the .vsix. */
const VSIX_HOST = path.join(root, 'test/e2e/vsix-host');
const TIMEOUT_MS = 300_000;

const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } = await import('@vscode/test-electron');
const wanted = wantedBy(process.argv, ['dev', 'untrusted', 'vsix', 'ui']);
const version = process.env.VSCODE_VERSION || '1.100.3';
const tally = new Tally();

let executable = process.env.VSCODE_EXECUTABLE;
try {
  executable ||= await downloadAndUnzipVSCode({ version, cachePath: path.join(root, '.vscode-test') });
} catch (e) {
  console.error(
    `e2e (electron): cannot download VS Code ${version} (${e instanceof Error ? e.message : String(e)}). ` +
      'This path needs internet access to update.code.visualstudio.com; on Debian or Ubuntu without it, ' +
      'use npm run test:e2e (code-server from npm).',
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/**
 * VS Code's command line for one suite: what @vscode/test-electron's runTests passes, except that runTests always adds
 * --disable-workspace-trust, which would make the untrusted suite's workspace trusted; so the runner starts VS Code
 * itself.
 */
function vscodeArgs(suite, sandbox, logLevel) {
  return [
    sandbox.workspace,
    // Other extensions of this profile stay off; the packaged one is installed in it and must stay on.
    ...(suite === 'vsix' ? [] : ['--disable-extensions']),
    '--user-data-dir',
    sandbox.userData,
    '--extensions-dir',
    sandbox.extensions,
    '--disable-telemetry',
    ...(logLevel ? ['--log', logLevel] : []),
    // https://github.com/microsoft/vscode/issues/84238, https://github.com/microsoft/vscode-test/issues/221 and 120
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    ...(sandbox.trusted ? ['--disable-workspace-trust'] : []),
    `--extensionTestsPath=${SUITE_ENTRY}`,
    `--extensionDevelopmentPath=${suite === 'vsix' ? VSIX_HOST : root}`,
  ];
}

/** Starts VS Code and resolves its exit code (1 when it outlives TIMEOUT_MS: then its process group is killed). */
function launch(args, env) {
  return new Promise((resolve) => {
    // As runTests does on Windows (a shell for the quoted path); elsewhere its own process group, killed whole.
    const windows = process.platform === 'win32';
    const child = spawn(windows ? `"${executable}"` : executable, args, {
      env,
      stdio: 'inherit',
      shell: windows,
      detached: !windows,
    });
    const timer = setTimeout(() => {
      console.error(`e2e (electron): the tests did not finish within ${TIMEOUT_MS / 1000} s`);
      try {
        if (windows) child.kill();
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // it ended meanwhile
      }
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      console.error(`e2e (electron): cannot start ${executable}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Installs the packaged extension into the sandbox's profile with VS Code's CLI, as a user would; true when done. */
function installVsix(sandbox, vsix) {
  const [cli] = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
  const install = spawnSync(
    cli,
    ['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, '--install-extension', vsix],
    { stdio: 'inherit', env: sandboxEnv(sandbox), shell: process.platform === 'win32' },
  );
  if (install.status !== 0)
    console.error(`e2e (electron): installing the .vsix failed (${install.error?.message ?? install.status})`);
  return install.status === 0;
}

/** Runs one suite in a fresh sandbox and records its tests and, when it scans them, its logs. */
async function run(suite) {
  const { name, trusted, settings, secrets, evidence } = SUITES[suite];
  const scanLogs = secrets.length > 0 || evidence.length > 0;
  const logLevel = scanLogs ? 'trace' : undefined;
  console.log(`\ne2e (electron): ${name}`);
  const started = Date.now();
  const sandbox = makeSandbox({ settings, trusted, logLevel });
  try {
    if (suite === 'vsix') {
      const vsix = path.join(sandbox.dir, 'login-policy-lint.vsix');
      if (packageVsix(vsix, 'inherit').status !== 0) return tally.fail('packaged extension: vsce package');
      if (!installVsix(sandbox, vsix)) return tally.fail('packaged extension: install');
    }
    // The suite writes its counts to E2E_RESULT_FILE; E2E_LOGS: where the tests find the editor's log files.
    const resultFile = path.join(sandbox.dir, 'result.json');
    const env = sandboxEnv(sandbox, {
      E2E_SUITE: suite,
      E2E_LOGS: logsOf(sandbox.userData),
      E2E_RESULT_FILE: resultFile,
    });
    const exitCode = await launch(vscodeArgs(suite, sandbox, logLevel), env);
    let summary;
    try {
      const counts = JSON.parse(readFileSync(resultFile, 'utf8'));
      summary = `${counts.passed} passed, ${counts.failed} failed`;
    } catch {
      // the suite never reported: VS Code did not start or crashed; the tally says so
    }
    tally.record(suite, name, { exitCode, summary, ms: Date.now() - started });
    if (scanLogs) tally.logs(name, checkLogs(logsOf(sandbox.userData), secrets, evidence));
  } finally {
    if (process.env.E2E_KEEP_SANDBOX) console.log(`e2e (electron): sandbox kept at ${sandbox.dir}`);
    else removeSandbox(sandbox);
  }
}

for (const suite of ['dev', 'untrusted', 'vsix']) if (wanted(suite)) await run(suite);
process.exit(tally.finish());
