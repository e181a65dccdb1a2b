// The same real-editor suite in desktop VS Code through @vscode/test-electron, for machines with internet:
// downloads VS Code (VSCODE_VERSION, default 1.100.3) into .vscode-test/ and runs out/test/e2e/suite/index.js,
// first with the extension loaded from source, then from the packaged .vsix. On Linux without a display it
// re-runs itself under xvfb-run. Last line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyWorkspace, packageVsix, root } from './harness.mjs';

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

const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } =
  await import('@vscode/test-electron');
const version = process.env.VSCODE_VERSION || '1.100.3';
const suiteEntry = path.join(root, 'out/test/e2e/suite/index.js');
let passed = 0;
let failed = 0;

/** Fresh workspace copy, user data and extensions for each run. */
function sandbox() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-electron-'));
  const s = {
    dir,
    workspace: path.join(dir, 'workspace'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
  };
  copyWorkspace(s.workspace);
  mkdirSync(s.userData);
  mkdirSync(s.extensions);
  return s;
}

/** Runs the suite and adds its test counts (the suite writes them to E2E_RESULT_FILE). */
async function run(name, options, dir) {
  console.log(`\ne2e (electron): ${name}`);
  const resultFile = path.join(dir, 'result.json');
  try {
    await runTests({
      version,
      extensionTestsPath: suiteEntry,
      ...options,
      extensionTestsEnv: { ...options.extensionTestsEnv, E2E_RESULT_FILE: resultFile },
    });
  } catch (e) {
    console.error(`e2e (electron): ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const counts = JSON.parse(readFileSync(resultFile, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
  } catch {
    failed++; // the suite never reported: VS Code did not start or crashed
  }
}

let executable;
try {
  executable = await downloadAndUnzipVSCode({ version, cachePath: path.join(root, '.vscode-test') });
} catch (e) {
  console.error(
    `e2e (electron): cannot download VS Code ${version} (${e instanceof Error ? e.message : String(e)}). ` +
      'This path needs internet access to update.code.visualstudio.com; on Debian or Ubuntu without it, ' +
      'use npm run test:e2e (code-server from npm).',
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const common = ['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-telemetry'];
const dev = sandbox();
await run(
  'extension loaded from source',
  {
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsEnv: { E2E_SUITE: 'dev' },
    launchArgs: [
      dev.workspace,
      '--disable-extensions',
      '--user-data-dir',
      dev.userData,
      '--extensions-dir',
      dev.extensions,
      ...common,
    ],
  },
  dev.dir,
);
rmSync(dev.dir, { recursive: true, force: true });

const packaged = sandbox();
const vsix = path.join(packaged.dir, 'login-policy-lint.vsix');
const pack = packageVsix(vsix, 'inherit');
if (pack.status === 0) {
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
  spawnSync(
    cli,
    [
      ...cliArgs,
      '--user-data-dir',
      packaged.userData,
      '--extensions-dir',
      packaged.extensions,
      '--install-extension',
      vsix,
    ],
    {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    },
  );
  await run(
    'packaged extension (.vsix)',
    {
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: path.join(root, 'test/e2e/vsix-host'),
      extensionTestsEnv: { E2E_SUITE: 'vsix' },
      launchArgs: [
        packaged.workspace,
        '--user-data-dir',
        packaged.userData,
        '--extensions-dir',
        packaged.extensions,
        ...common,
      ],
    },
    packaged.dir,
  );
} else {
  failed++;
}
rmSync(packaged.dir, { recursive: true, force: true });

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
