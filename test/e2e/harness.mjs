// Shared pieces of the real-editor runs: a fresh sandbox per run, code-server (a real VS Code server with the
// web workbench) on 127.0.0.1 in its own process group, headless Debian Chromium, and process memory from /proc.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const codeServerDir = process.env.CODE_SERVER_DIR || path.join(root, '.vscode-test/code-server');
export const codeServerBin = process.env.CODE_SERVER_BIN || path.join(codeServerDir, 'node_modules/.bin/code-server');
export const chromiumBin = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const fixtureWorkspace = path.join(root, 'test/e2e/workspace');
export const verbose = !!process.env.E2E_VERBOSE;

/** Fixture folders that are git repositories (one commit of what they hold): what is "deployed" is git HEAD. */
const GIT_FIXTURES = ['frozen'];

/** Copies the fixture workspace to `target` and makes its git fixtures repositories, as a user's checkout would be. */
export function copyWorkspace(target) {
  cpSync(fixtureWorkspace, target, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[name];
  const git = (cwd, ...args) => {
    const run = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
    if (run.status !== 0)
      throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${run.error?.message ?? run.stderr}`);
  };
  for (const name of GIT_FIXTURES) {
    const dir = path.join(target, name);
    git(dir, 'init', '--quiet');
    git(dir, 'add', '--all');
    git(
      dir,
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '-m',
      'deployed',
    );
  }
}

/** Fresh user data, extensions, XDG folders and a copy of the fixture workspace, so runs never share state. */
export function makeSandbox({ settings = {}, trusted = true, logLevel } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-e2e-'));
  const sandbox = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    workspace: path.join(dir, 'workspace'),
    config: path.join(dir, 'code-server.yaml'),
    trusted,
    logLevel,
    xdg: {
      XDG_CONFIG_HOME: path.join(dir, 'xdg/config'),
      XDG_CACHE_HOME: path.join(dir, 'xdg/cache'),
      XDG_DATA_HOME: path.join(dir, 'xdg/data'),
    },
  };
  mkdirSync(path.join(sandbox.userData, 'User'), { recursive: true });
  mkdirSync(sandbox.extensions);
  for (const d of Object.values(sandbox.xdg)) mkdirSync(d, { recursive: true });
  copyWorkspace(sandbox.workspace);
  writeFileSync(
    path.join(sandbox.userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        // An untrusted run keeps trust on and never asks: the folder opens in Restricted Mode.
        'security.workspace.trust.enabled': !trusted,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'never',
        'security.workspace.trust.emptyWindow': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.enableExperiments': false,
        'workbench.tips.enabled': false,
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        ...settings,
      },
      null,
      1,
    ),
  );
  // Port 0: the OS picks a free port; code-server prints it.
  writeFileSync(sandbox.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return sandbox;
}

export function removeSandbox(sandbox) {
  rmSync(sandbox.dir, { recursive: true, force: true });
}

export function codeServerArgs(sandbox) {
  return [
    '--config',
    sandbox.config,
    '--user-data-dir',
    sandbox.userData,
    '--extensions-dir',
    sandbox.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(sandbox.trusted ? ['--disable-workspace-trust'] : []),
    // Log channels (the LSP trace among them) only write what their level lets through.
    ...(sandbox.logLevel ? ['--log', sandbox.logLevel] : []),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
}

export function sandboxEnv(sandbox, extra = {}) {
  // EXTENSIONS_GALLERY={}: no marketplace (and no network) at all.
  return { ...process.env, ...sandbox.xdg, EXTENSIONS_GALLERY: '{}', ...extra };
}

/** Packs the extension as `vsce package` would for the marketplace; returns the spawnSync result. */
export function packageVsix(out, stdio) {
  return spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out],
    { cwd: root, stdio, encoding: 'utf8' },
  );
}

/** Installs a packaged extension into the sandbox's code-server, as a user would. */
export function installVsix(sandbox, vsix, stdio) {
  execFileSync(codeServerBin, [...codeServerArgs(sandbox), '--install-extension', vsix], {
    env: sandboxEnv(sandbox),
    stdio,
  });
}

/**
 * Starts code-server in its own process group (extension host, language server and helpers included) and
 * resolves its URL once it listens. `stop()` ends the whole group: SIGTERM, then SIGKILL.
 */
export function startCodeServer(sandbox, { env = {}, log = () => {} } = {}) {
  if (!existsSync(codeServerBin))
    throw new Error(`code-server is not installed at ${codeServerBin} (run: bash test/e2e/setup.sh)`);
  const child = spawn(codeServerBin, codeServerArgs(sandbox), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: sandboxEnv(sandbox, env),
  });
  let output = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (data) => {
      output += data;
      log(String(data));
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${output}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${codeServerBin}: ${e.message}`));
    });
  });
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      if (!alive()) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      for (let i = 0; i < 30 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, url, stop };
}

export async function launchBrowser(sandbox) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    env: sandboxEnv(sandbox),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Hermetic: the page can reach the local code-server and nothing else.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/** The workbench URL that opens the sandbox workspace, with an extension-development payload if given. */
export function workbenchUrl(base, sandbox, payload) {
  const query = `folder=${encodeURIComponent(sandbox.workspace)}`;
  return payload ? `${base}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${base}/?${query}`;
}

/** vscode-remote:// URI of a server-side path, as the web workbench's payload expects. */
export function remoteUri(base, fsPath) {
  return `vscode-remote://${new URL(base).host}${fsPath}`;
}

/** Resident and proportional memory (MiB) of the processes below `pid`, grouped by `label(commandLine)`. */
export function memoryOfTree(pid, label) {
  const children = new Map();
  for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // the process ended
    }
  }
  const totals = {};
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop();
    stack.push(...(children.get(p) ?? []));
    try {
      const command = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
      const name = label(command);
      totals[name] ??= { processes: 0, rssMiB: 0, pssMiB: 0 };
      totals[name].processes++;
      totals[name].rssMiB += kb('Rss') / 1024;
      totals[name].pssMiB += kb('Pss') / 1024;
    } catch {
      // the process ended
    }
  }
  for (const t of Object.values(totals)) {
    t.rssMiB = Math.round(t.rssMiB);
    t.pssMiB = Math.round(t.pssMiB);
  }
  return totals;
}

export function processLabel(command) {
  if (/server\/dist\/server\.js/.test(command)) return 'language server';
  if (/chrom/.test(command)) return 'chromium';
  if (/--type=extensionHost/.test(command)) return 'extension host';
  if (/--type=fileWatcher/.test(command)) return 'file watcher';
  if (/--type=ptyHost/.test(command)) return 'pty host';
  return 'code-server';
}
