// The esbuild options every bundle of this repository shares: esbuild.mjs builds the extension with them, and the
// benchmark's cold-start bundles (bench/coldstart.ts) use them too, so it measures what ships.

/** @param {{ production: boolean }} options @returns {import('esbuild').BuildOptions} */
export function bundleOptions({ production }) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    legalComments: 'none',
    // Prefer ESM builds: jsonc-parser's UMD build cannot be bundled, and ESM lets esbuild drop unused code.
    mainFields: ['module', 'main'],
    // Some ESM dependencies (fdir, under tinyglobby) read import.meta.url, which a CommonJS bundle lacks.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
}
