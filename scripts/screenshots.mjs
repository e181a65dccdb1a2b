// `npm run screenshots`: regenerates the README's screenshots (docs/images/) from the UI smoke test.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const shots = ['problems.png', 'hover.png', 'quick-fix.png'];
const artifacts = mkdtempSync(path.join(tmpdir(), 'lpl-shots-'));
for (const step of [
  [process.execPath, ['esbuild.mjs']],
  ['bash', ['test/e2e/setup.sh']],
  [process.execPath, ['test/e2e/ui-smoke.mjs']],
]) {
  const run = spawnSync(step[0], step[1], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, E2E_ARTIFACTS: artifacts },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
mkdirSync(path.join(root, 'docs/images'), { recursive: true });
for (const shot of shots) copyFileSync(path.join(artifacts, shot), path.join(root, 'docs/images', shot));
rmSync(artifacts, { recursive: true, force: true });
console.log(`Updated ${shots.map((s) => `docs/images/${s}`).join(', ')}`);
