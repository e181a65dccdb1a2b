// `npm run demo`: builds, then lints the example workspace with the CLI and explains what it shows.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

console.log('$ login-policy-lint   (in examples/, which has a .loginpolicyrc.json)\n');
const lint = spawnSync(process.execPath, [path.join(root, 'server/dist/cli.js')], {
  cwd: path.join(root, 'examples'),
  stdio: 'inherit',
});
console.log(`\nExit code ${lint.status}: ${['no errors', 'errors found', 'bad usage or config'][lint.status ?? 2]}.`);
console.log(
  "examples/ holds a healthy policy, one with schema errors, one whose owner secret is stale (the vendor page's\n" +
    'example), one still on Hosted Login v1, and a deployed one whose frozen identityStoreDetails was edited\n' +
    '(compared with its snapshot in examples/deployed/), so errors are expected.\n' +
    'Try: node server/dist/cli.js --format json examples   or   --format sarif, --rule hosted-login-v1=off\n' +
    'Open examples/ in VS Code with the extension to see them as you type, with quick fixes.',
);
// The examples contain errors on purpose: exit code 1 is the demo working.
process.exit(lint.status === 1 ? 0 : 1);
