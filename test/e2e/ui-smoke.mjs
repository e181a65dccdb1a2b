// UI smoke test: drives code-server's real workbench as a person would (open a policy with problems, see the
// squiggles, the Problems panel with rule codes, a hover, the quick-fix menu, apply a fix) and saves
// screenshots. E2E_ARTIFACTS picks the folder (default .vscode-test/artifacts); E2E_VSIX=path installs a .vsix
// instead of loading the extension from source. Prints `N passed, N failed` last.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
  workbenchUrl,
} from './harness.mjs';

const artifacts = path.resolve(process.env.E2E_ARTIFACTS || path.join(root, '.vscode-test/artifacts'));
mkdirSync(artifacts, { recursive: true });
const sandbox = makeSandbox({ settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.fontSize': 14 } });
const timings = {};
const t0 = Date.now();
const lap = (name) => (timings[name] = Date.now() - t0);
const results = [];
let page;

async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`  ok    ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`  FAIL  ${name}: ${String(e instanceof Error ? e.message : e).split('\n')[0]}`);
  }
}

/** Clicks the editor on the first token (a span, as Monaco renders them) whose text contains `text`. */
/** Waits until the element's fade-in animations are done, so a screenshot shows it as a person sees it. */
async function settled(locator) {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  const hover = await locator.elementHandle();
  await page.waitForFunction((el) => Number(globalThis.getComputedStyle(el).opacity) === 1, hover, { timeout: 5_000 });
}

async function clickOnToken(text) {
  await page.locator('.monaco-editor .view-line span span', { hasText: text }).first().click();
}

if (process.env.E2E_VSIX) {
  installVsix(sandbox, path.resolve(process.env.E2E_VSIX), 'inherit');
}
const server = startCodeServer(sandbox);
let browser;
try {
  const base = await server.url;
  lap('codeServerListening');
  const payload = process.env.E2E_VSIX ? undefined : [['extensionDevelopmentPath', remoteUri(base, root)]];
  browser = await launchBrowser(sandbox);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(workbenchUrl(base, sandbox, payload));

  await check('the workbench opens the workspace', async () => {
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    lap('workbenchReady');
  });

  await check('a policy opens as "Login Policy"', async () => {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
    await page.keyboard.type('broken.loginpolicy.json');
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20_000 });
    lap('editorOpen');
    await page.locator('#status\\.editor\\.mode', { hasText: 'Login Policy' }).waitFor({ timeout: 20_000 });
  });

  await check('squiggles appear under the problems', async () => {
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60_000 });
    lap('firstDiagnostic');
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 10_000 });
  });

  await check('the Problems panel lists them with their rule codes', async () => {
    await page.keyboard.press('Control+Shift+M');
    // The workspace scan lists every policy of the workspace: show this file's problems only.
    const filter = page.getByPlaceholder(/^Filter \(e\.g\./);
    await filter.waitFor({ timeout: 10_000 });
    await filter.fill('**/broken.loginpolicy.json');
    const rows = page.locator('.markers-panel .monaco-list-row');
    // Only once the panel lists the file does "no other file's row" mean the filter works.
    await rows.filter({ hasText: 'broken.loginpolicy.json' }).first().waitFor({ timeout: 20_000 });
    const others = rows.filter({ hasText: /(completion|fixme)\.loginpolicy\.json/ });
    await others
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => {
        throw new Error('the Problems filter does not leave the broken file alone');
      });
    await rows.filter({ hasText: 'unknown-property' }).first().waitFor({ timeout: 20_000 });
    await rows.filter({ hasText: 'schema' }).first().waitFor({ timeout: 5_000 });
    lap('problemsPanel');
    await page.screenshot({ path: path.join(artifacts, 'problems.png') });
  });

  await check('a hover explains the field', async () => {
    await clickOnToken('entityType');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Can change after creation' });
    await hover.waitFor({ timeout: 15_000 });
    if (!/entity type/.test(await hover.innerText())) throw new Error('the hover does not describe entityType');
    lap('hover');
    await settled(hover);
    await page.screenshot({ path: path.join(artifacts, 'hover.png') });
    await page.keyboard.press('Escape');
  });

  await check('the quick-fix menu offers the rename, and applying it fixes the key', async () => {
    await clickOnToken('loginUrl');
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Rename to "loginURL"' });
    await item.waitFor({ timeout: 15_000 });
    lap('quickFix');
    await settled(page.locator('.action-widget'));
    await page.screenshot({ path: path.join(artifacts, 'quick-fix.png') });
    // The preferred fix is selected first; Enter applies it, as a person would.
    await page
      .locator('.action-widget .monaco-list-row.focused', { hasText: 'Rename to "loginURL"' })
      .waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.monaco-editor .view-line span span', { hasText: '"loginURL"' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page
      .locator('.markers-panel .monaco-list-row', { hasText: 'unknown-property' })
      .waitFor({ state: 'detached', timeout: 20_000 });
    lap('fixApplied');
    await page.screenshot({ path: path.join(artifacts, 'after-fix.png') });
  });

  const memory = memoryOfTree(server.child.pid, processLabel);
  writeFileSync(path.join(artifacts, 'ui-metrics.json'), JSON.stringify({ timingsMs: timings, memory }, null, 1));
  console.log(`  timings (ms from start): ${JSON.stringify(timings)}`);
  const ls = memory['language server'];
  if (ls) console.log(`  language server memory: ${ls.pssMiB} MiB PSS (${ls.rssMiB} MiB RSS)`);
} catch (e) {
  console.log(`  FAIL  ${e instanceof Error ? e.message : String(e)}`);
  results.push(['run', false]);
} finally {
  if (page && results.some(([, ok]) => !ok))
    await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
  await browser?.close().catch(() => {});
  await server.stop();
  removeSandbox(sandbox);
}
console.log(`  screenshots: ${artifacts}`);
const failed = results.filter(([, ok]) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
