// Cold-start child: `coldstart-child.js <bundle> <fixture> [schema]` times require(bundle) and the first validation.
import { readFileSync } from 'node:fs';

interface Bundle {
  validate(text: string, schemaText?: string): number | Promise<number>;
}

async function main(): Promise<void> {
  const [bundle, fixture, schema] = process.argv.slice(2);
  if (!bundle || !fixture) throw new Error('usage: coldstart-child <bundle> <fixture> [schema]');
  const text = readFileSync(fixture, 'utf8');
  const schemaText = schema ? readFileSync(schema, 'utf8') : undefined;
  const t0 = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(bundle) as Bundle;
  const t1 = process.hrtime.bigint();
  const out = mod.validate(text, schemaText);
  const diagnostics = typeof out === 'number' ? out : await out;
  const t2 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ loadMs: ms(t0, t1), firstMs: ms(t1, t2), totalMs: ms(t0, t2), diagnostics, uptimeMs: process.uptime() * 1000 })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
