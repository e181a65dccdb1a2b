// Writes schemas/*.schema.json from the zod models (server/src/engine/json-schema.ts), bundled on the fly.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'lpl-schema-'));
try {
  const outfile = path.join(dir, 'json-schema.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, 'server/src/engine/json-schema.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  const { generatedSchemaFiles } = createRequire(import.meta.url)(outfile);
  for (const [file, content] of Object.entries(generatedSchemaFiles())) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
