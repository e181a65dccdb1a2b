// `npm run fuzz`: a long property-based campaign over the engine, the server's formatting and the CLI output, with the
// generators and checks of test/unit/property/ (built into out/ by `npm run fuzz`'s tsc step).
// Usage: npm run fuzz [-- --runs N] [--seed N] [--property NAME] [--path P]
//   --runs      cases to generate (default 1,000,000)
//   --seed      the random seed (default: a new one, printed first so the run can be repeated)
//   --property  run one property (ranges, fixes, formatting, cli-vs-server, parse) instead of all of them on each case
//   --path      with the seed of a failure, replays that counterexample at once
// Progress goes to stderr; a failure prints the shrunk counterexample and exits 1.
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const fc = require('fast-check');
const { PROPERTIES, checkAll, propertyOf, tally } = require(path.join(root, 'out/test/unit/property/properties.js'));

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) usage(`--${name} needs a value`);
  return value;
};
function usage(problem) {
  process.stderr.write(`fuzz: ${problem}\nUsage: npm run fuzz -- [--runs N] [--seed N] [--property NAME] [--path P]\n`);
  process.exit(2);
}
const known = ['--runs', '--seed', '--property', '--path'];
for (let i = 0; i < args.length; i += 2) if (!known.includes(args[i])) usage(`unknown option ${args[i]}`);

const runs = Number(option('runs') ?? 1_000_000);
const seedOption = option('seed');
const seed = seedOption === undefined ? (Date.now() ^ (process.pid << 16)) | 0 : Number(seedOption);
const replayPath = option('path');
const propertyName = option('property');
if (!Number.isSafeInteger(runs) || runs < 1) usage('--runs must be a positive integer');
if (!Number.isSafeInteger(seed)) usage('--seed must be an integer');
const chosen = propertyName === undefined ? undefined : PROPERTIES.find((p) => p.name === propertyName);
if (propertyName !== undefined && !chosen)
  usage(`unknown property "${propertyName}" (one of ${PROPERTIES.map((p) => p.name).join(', ')})`);
const check = chosen ? chosen.check : checkAll;

process.stderr.write(
  `fuzz: ${runs.toLocaleString('en')} cases, seed ${seed}, ${chosen ? `property ${chosen.name}` : 'every property on each case'}\n`,
);

// Counted inside the predicate: before a failure each call is one case; after it, calls are shrinking steps.
let calls = 0;
let failedAt;
const started = Date.now();
let lastReport = started;
const property = propertyOf((text, options) => {
  calls++;
  const now = Date.now();
  if (now - lastReport >= 5000) {
    lastReport = now;
    const rate = calls / ((now - started) / 1000);
    const phase =
      failedAt === undefined ? `${calls.toLocaleString('en')} cases` : `shrinking (step ${calls - failedAt})`;
    process.stderr.write(`fuzz: ${phase}, ${Math.round(rate)}/s, ${Math.round((now - started) / 1000)} s\n`);
  }
  try {
    check(text, options);
  } catch (e) {
    failedAt ??= calls;
    throw e;
  }
});

const details = fc.check(property, {
  seed,
  numRuns: runs,
  ...(replayPath ? { path: replayPath, endOnFailure: true } : {}),
});
const seconds = (Date.now() - started) / 1000;
const cases = failedAt ?? details.numRuns;

if (details.failed) {
  process.stderr.write('\n');
  process.stdout.write(`${fc.defaultReportMessage(details)}\n`);
  process.stdout.write(
    `\nWhat failed: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n`,
  );
  process.stdout.write(
    `\nFAILED after ${cases.toLocaleString('en')} cases (${seconds.toFixed(0)} s). Replay: npm run fuzz -- --seed ${details.seed} --path ${details.counterexamplePath}${chosen ? ` --property ${chosen.name}` : ''}\n`,
  );
  process.exit(1);
}

const top = (map) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `    ${String(n).padStart(9)}  ${key}`)
    .join('\n');
process.stdout.write(
  `fuzz: ${details.numRuns.toLocaleString('en')} cases passed in ${seconds.toFixed(0)} s ` +
    `(${Math.round(details.numRuns / seconds)} cases/s), seed ${seed}\n` +
    (tally.fixes.size > 0
      ? `  findings checked, by rule:\n${top(tally.findings)}\n  fixes applied and re-analysed:\n${top(tally.fixes)}\n`
      : ''),
);
