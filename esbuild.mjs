// The only build script: bundles the extension client, the language server and the CLI, and regenerates the
// exported JSON Schemas. Flags: --watch, --production (minified, no source maps).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { bundleOptions } from './scripts/bundle-options.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = bundleOptions({ production });

const builds = [
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'client/dist', external: ['vscode'] },
  {
    ...common,
    entryPoints: { server: 'server/src/main.ts', cli: 'server/src/cli/main.ts' },
    outdir: 'server/dist',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('[watch] watching client and server sources');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  execFileSync(process.execPath, ['scripts/generate-schemas.mjs'], { stdio: 'inherit' });
}
