// Runs the mocha suite (out/test/e2e/suite/index.js) inside code-server's real Node extension host, through
// VS Code's own extension-test protocol: extensionDevelopmentPath + extensionTestsPath, handed to the web
// workbench as its `payload`. Output and the exit code come back through codeAutomationLog/codeAutomationExit.
import path from 'node:path';
import { format } from 'node:util';
import {
  installVsix,
  launchBrowser,
  makeSandbox,
  memoryOfTree,
  processLabel,
  remoteUri,
  removeSandbox,
  root,
  startCodeServer,
  verbose,
  workbenchUrl,
} from './harness.mjs';
import { checkLogs, logsOf, SUITES } from './suites.mjs';

const SUITE_ENTRY = path.join(root, 'out/test/e2e/suite/index.js');
/** Workbench chatter that reaches the log channel but says nothing about the tests (shown with E2E_VERBOSE=1). */
const WORKBENCH_NOISE =
  /^(\[AccountPolicyGate\]|\[Service Worker\]|Ignoring fetching|Updating additional builtin|Resolving connection token|Resolved connection token|Creating a socket|ChatSessionStore)/;

/** A declarative extension that only hosts the tests when the real one is installed from the .vsix. */
const VSIX_HOST = path.join(root, 'test/e2e/vsix-host');

/**
 * @param {{ suite: 'dev' | 'vsix' | 'untrusted', vsix?: string, timeoutMs?: number }} options
 *   the editor is set up as SUITES[suite] says; after the run its logs are scanned for the suite's `secrets` and
 *   `evidence` (given either, the editor logs at trace level)
 * @returns {Promise<{ exitCode: number, summary: string | undefined, ms: number, memory: object,
 *   logProblems: string[] | undefined }>} `logProblems`: undefined when the suite scans no log
 */
export async function runSuite({ suite, vsix, timeoutMs = 300_000 }) {
  const { trusted, settings, secrets, evidence } = SUITES[suite];
  const scanLogs = secrets.length > 0 || evidence.length > 0;
  const started = Date.now();
  const sandbox = makeSandbox({ settings, trusted, logLevel: scanLogs ? 'trace' : undefined });
  let browser;
  let summary;
  let exitCode = 1;
  const peak = {};
  let sampler;
  let server;
  try {
    if (suite === 'vsix') {
      // As a user would: install the packaged extension into the fresh extensions folder.
      installVsix(sandbox, vsix, verbose ? 'inherit' : 'pipe');
    }
    let hostStarted = false;
    server = startCodeServer(sandbox, {
      // E2E_LOGS: where the tests find the editor's log files (what the Output view shows).
      env: { E2E_SUITE: suite, E2E_LOGS: logsOf(sandbox.userData) },
      log: (text) => {
        if (/Launched Extension Host Process|Extension host with pid/.test(text)) hostStarted = true;
        if (verbose) process.stdout.write(`[code-server] ${text}`);
      },
    });
    const base = await server.url;
    const developmentPath = suite === 'vsix' ? VSIX_HOST : root;
    const payload = [
      ['extensionDevelopmentPath', remoteUri(base, developmentPath)],
      ['extensionTestsPath', remoteUri(base, SUITE_ENTRY)],
    ];
    browser = await launchBrowser(sandbox);
    const page = await browser.newPage();
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = format(...args);
      if (/^\d+ passed, \d+ failed$/.test(line)) summary = line;
      else if (verbose || !WORKBENCH_NOISE.test(line)) console.log(line);
    });
    if (verbose) page.on('console', (m) => console.log('[browser]', m.text()));
    // Sample memory while the tests run: the language server's peak is what we report.
    sampler = setInterval(() => {
      for (const [name, usage] of Object.entries(memoryOfTree(server.child.pid, processLabel))) {
        if (!peak[name] || usage.pssMiB > peak[name].pssMiB) peak[name] = usage;
      }
    }, 500);
    await page.goto(workbenchUrl(base, sandbox, payload));
    const result = await Promise.race([finished, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (result === 'timeout') {
      console.error(
        `e2e (${suite}): the tests did not finish within ${timeoutMs / 1000} s${hostStarted ? '' : ' (the extension host never started)'}`,
      );
    } else {
      exitCode = Number(result);
    }
  } catch (e) {
    console.error(`e2e (${suite}): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(sampler);
    await browser?.close().catch(() => {});
    await server?.stop();
  }
  // Every log the editor wrote (output channels, the LSP trace, the extension host's log) must be free of secrets.
  const logProblems = scanLogs ? checkLogs(logsOf(sandbox.userData), secrets, evidence) : undefined;
  if (process.env.E2E_KEEP_SANDBOX) console.log(`e2e (${suite}): sandbox kept at ${sandbox.dir}`);
  else removeSandbox(sandbox);
  if (!summary && exitCode !== 0) summary = '0 passed, 1 failed';
  return { exitCode, summary, ms: Date.now() - started, memory: peak, logProblems };
}
