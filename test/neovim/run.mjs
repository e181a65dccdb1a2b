// `npm run test:neovim`: the language server in a real second editor. Starts Neovim headless with the README's
// Neovim snippet as its init.lua, on a copy of test/neovim/workspace/, and runs test/neovim/check.lua in it; then
// checks Neovim's LSP log and that the server left with the editor. Installs Neovim from apt when it is missing.
// Exit codes: 0 passed, 1 failed, 77 skipped (no Neovim and no way to install it here). Its last line is
// `N passed, N failed` (or `neovim: skipped: <why>`). NVIM_BIN overrides the editor; NEOVIM_KEEP_SANDBOX=1 keeps
// the run's folder and prints where; LPL_NVIM_WAIT_MS bounds each wait inside Neovim (20 s by default).
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SKIPPED = 77;
const root = path.resolve(import.meta.dirname, '../..');
const serverScript = path.join(root, 'server/dist/server.js');
/** The whole run, editor start to exit; every wait inside the editor has its own, shorter timeout. */
const RUN_TIMEOUT_MS = 120_000;
/** How long the server may outlive the editor. */
const EXIT_GRACE_MS = 5_000;
/** Owner secrets in the fixture workspace: none may reach Neovim's log through the server's log messages. */
const FIXTURE_SECRETS = ['p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4'];
const SNIPPET = { start: '<!-- neovim-snippet:start -->', end: '<!-- neovim-snippet:end -->' };

function skip(why) {
  console.log(`neovim: skipped: ${why}`);
  process.exit(SKIPPED);
}

function failBeforeStart(why) {
  console.error(`neovim: ${why}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** The full path of a command on PATH, or undefined. */
function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * The editor: NVIM_BIN, else nvim on PATH, else Debian's package, installed now as test/e2e/setup.sh installs
 * Chromium. Where apt-get or the right to use it is missing, the test is skipped; a failed install is a failure.
 */
function findNeovim() {
  if (process.env.NVIM_BIN) return process.env.NVIM_BIN;
  const found = which('nvim');
  if (found) return found;
  if (process.platform !== 'linux' || !which('apt-get')) {
    skip('nvim is not installed and there is no apt-get to install it; install Neovim 0.7 or later to run this test.');
  }
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && (!which('sudo') || spawnSync('sudo', ['-n', 'true']).status !== 0)) {
    skip('nvim is not installed, and apt-get install neovim needs root or password-less sudo.');
  }
  const apt = (...args) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', [...(asRoot ? [] : ['-n', 'apt-get']), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  console.log('neovim: nvim is missing: apt-get update, apt-get install neovim');
  if (!apt('update', '-qq') || !apt('install', '-y', '-qq', '--no-install-recommends', 'neovim')) {
    failBeforeStart('apt-get could not install neovim (see above).');
  }
  return which('nvim') ?? failBeforeStart('apt-get installed neovim, but nvim is not on PATH.');
}

/** The Lua between the README's snippet markers: what a Neovim user pastes into init.lua. */
function readmeSnippet() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(SNIPPET.start);
  const end = readme.indexOf(SNIPPET.end);
  const block = start >= 0 && end > start ? /```lua\n([\s\S]*?)```/.exec(readme.slice(start, end)) : null;
  if (!block) failBeforeStart(`README.md has no \`\`\`lua block between ${SNIPPET.start} and ${SNIPPET.end}.`);
  return block[1];
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    // Polling a pid: there is no event to wait for when a process that is not our child exits.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Runs Neovim to its end (or kills its process group at the timeout); resolves with its exit and output. */
function runEditor(nvim, args, options) {
  return new Promise((resolve) => {
    const child = spawn(nvim, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed after ${RUN_TIMEOUT_MS / 1000} s)`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, output: `${output}\n${error.message}`, timedOut: false });
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, output, timedOut: signal === 'SIGKILL' });
    });
  });
}

const started = Date.now();
if (!existsSync(serverScript)) failBeforeStart(`${serverScript} is missing: run \`npm run build\` first.`);
const nvim = findNeovim();
const version = spawnSync(nvim, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
console.log(`neovim: ${version} (${nvim})`);

const sandbox = mkdtempSync(path.join(tmpdir(), 'lpl-neovim-'));
const workspace = path.join(sandbox, 'workspace');
cpSync(path.join(root, 'test/neovim/workspace'), workspace, { recursive: true });
// The command the snippet names, on PATH, as npm's bin link would provide it.
const bin = path.join(sandbox, 'bin');
mkdirSync(bin);
writeFileSync(
  path.join(bin, 'login-policy-language-server'),
  `#!/bin/sh\nexec '${process.execPath}' '${serverScript}' "$@"\n`,
  { mode: 0o755 },
);
const init = path.join(sandbox, 'init.lua');
writeFileSync(init, `vim.lsp.set_log_level('info')\n${readmeSnippet()}`);
const files = {
  results: path.join(sandbox, 'results.json'),
  exit: path.join(sandbox, 'server-exit.json'),
};
const xdg = Object.fromEntries(
  ['CONFIG', 'CACHE', 'DATA', 'STATE', 'RUNTIME'].map((name) => [`XDG_${name}_HOME`, path.join(sandbox, name)]),
);
for (const dir of Object.values(xdg)) mkdirSync(dir, { mode: 0o700 });

const editor = await runEditor(
  nvim,
  ['--headless', '--clean', '-n', '-i', 'NONE', '-u', init, '-c', 'lua dofile(os.getenv("LPL_NVIM_CHECK"))'],
  {
    cwd: workspace,
    env: {
      ...process.env,
      ...xdg,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      NVIM_LOG_FILE: path.join(sandbox, 'nvim.log'),
      LPL_NVIM_CHECK: path.join(root, 'test/neovim/check.lua'),
      LPL_NVIM_WORKSPACE: workspace,
      LPL_NVIM_RESULTS: files.results,
      LPL_NVIM_EXIT: files.exit,
    },
  },
);

const checks = [];
const record = (name, problem) => checks.push({ name, ok: !problem, message: problem || undefined });
let results;
try {
  results = JSON.parse(readFileSync(files.results, 'utf8'));
} catch {
  const exit = `exit ${editor.status ?? editor.signal}${editor.timedOut ? ', timed out' : ''}`;
  record('Neovim ran the check script', `no results (${exit}); Neovim said:\n${editor.output}`);
}
if (results) {
  checks.push(...results.checks);
  // Headless, Neovim prints only what it would show a user: errors from its LSP client, or from the snippet.
  record('Neovim printed no error or message', editor.output.trim());
  record(
    'Neovim quit on :qa',
    editor.status === 0 ? '' : `exit ${editor.status ?? editor.signal}${editor.timedOut ? ' (timed out)' : ''}`,
  );

  const pid = results.server_pid;
  const exitRecord = existsSync(files.exit) ? JSON.parse(readFileSync(files.exit, 'utf8')) : undefined;
  const gone = pid ? await until(() => !isAlive(pid), EXIT_GRACE_MS) : false;
  if (pid && !gone) process.kill(pid, 'SIGKILL');
  record(
    'the server exits with the editor',
    !pid
      ? 'the check script recorded no server pid'
      : !gone
        ? `server pid ${pid} was still running ${EXIT_GRACE_MS / 1000} s after Neovim quit (killed now)`
        : !exitRecord
          ? 'the server did not leave on shutdown/exit while Neovim waited; it went only when Neovim closed its stdin'
          : exitRecord.code !== 0 || exitRecord.signal !== 0
            ? `the server left with exit code ${exitRecord.code}, signal ${exitRecord.signal}`
            : '',
  );

  const log = existsSync(results.log_path) ? readFileSync(results.log_path, 'utf8') : '';
  const entries = log.split(/\n(?=\[[A-Z]+\])/).filter(Boolean);
  record(
    "Neovim's LSP log was written",
    entries.some((e) => e.startsWith('[INFO]') && e.includes('Starting RPC client'))
      ? ''
      : `no "Starting RPC client" line in ${results.log_path}; without it "no ERROR" proves nothing`,
  );
  const errors = entries.filter((e) => e.startsWith('[ERROR]'));
  record('no ERROR in the LSP log', errors.length ? errors.slice(0, 5).join('\n') : '');
  const unhandled = entries.filter((e) => e.includes('server_request: no handler found for'));
  record('the server sends no request Neovim does not handle', unhandled.join('\n'));
  const leaked = FIXTURE_SECRETS.filter((secret) => log.includes(secret));
  record(
    'no fixture secret in the LSP log',
    leaked.length ? `${leaked.length} fixture secret(s) in ${results.log_path}` : '',
  );

  const { window: win, workspace: ws } = results.declared;
  console.log(
    `neovim: it declares window.showDocument.support=${win?.showDocument?.support}, ` +
      `workspace.configuration=${ws?.configuration ?? 'absent'}, ` +
      `workspace.didChangeConfiguration=${ws?.didChangeConfiguration ? 'declared' : 'absent'}; ` +
      `first diagnostics ${results.timings.first_diagnostics_ms} ms after opening the first policy`,
  );
}

for (const c of checks) {
  console.log(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}`);
  if (!c.ok) console.log(`        ${String(c.message).replaceAll('\n', '\n        ')}`);
}
const failed = checks.filter((c) => !c.ok).length;
if (process.env.NEOVIM_KEEP_SANDBOX) console.log(`neovim: sandbox kept in ${sandbox}`);
else rmSync(sandbox, { recursive: true, force: true });
console.log(`neovim: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
