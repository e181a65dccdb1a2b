// argv → files → analyze() → format → exit code (0 clean, 1 errors or too many warnings, 2 bad usage or config).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze, type Analysis } from '../engine/analyze';
import { baselineSpecOf, deployedBaselineOf, deployedStateOf, isDeployedSnapshot } from '../deployed-baselines';
import { glob } from 'tinyglobby';
import { OIDC_CLIENT_PATTERNS } from '../project/oidc-clients';
import { IGNORED_DIRS } from '../project/policy-files';
import { BaselineStore, isSafeGitRef, type BaselineSpec } from '../project/baseline';
import { summarize as summarizePolicy, WorkspaceIndex } from '../workspace-index';
import type { AnalysisFacts, DeployedBaseline, LiveCheck } from '../engine/facts';
import { knownClientsFrom } from '../engine/owner-secret/known-clients';
import { credentialsOf } from '../identity-cloud/live-checks';
import { mergeOverrides } from '../engine/severity';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { packageVersion } from '../util/package-root';
import {
  FINGERPRINT_HELP,
  HELP,
  IMPORT_HELP,
  parseCliArgs,
  PULL_HELP,
  STATUS_HELP,
  UsageError,
  type HelpTopic,
  type LintOptions,
} from './args';
import { liveCheckSettings, verifyCredentials } from './live-verify';
import { OperationError, RefusedUsage } from '../identity-cloud/operation-errors';
import { runPull } from './pull';
import { runStatus } from './status';
import { ROTATE_HELP } from './rotate-args';
import { runRotate } from './rotate';
import { runFingerprint, runImportClients } from './secret-commands';
import { discoverFiles } from './files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { assertUsable, ConfigError, loadCliConfig, relative } from './cli-config';
import { fileResult, summarize, type FileResult } from './results';
import { EXIT, type CliIo } from './io';

export type { CliIo };
export { EXIT };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    switch (options.command) {
      case 'help':
        io.stdout(options.topic ? TOPIC_HELP[options.topic] : HELP);
        return EXIT.ok;
      case 'pull':
        return await runPull(options, io);
      case 'status':
        return await runStatus(options, io);
      case 'rotate':
        return await runRotate(options, io);
      case 'fingerprint':
        return await runFingerprint(options, io);
      case 'import-clients':
        return runImportClients(options, io);
      case 'version':
        io.stdout(`${packageVersion()}\n`);
        return EXIT.ok;
      case 'lint':
        return await lint(options, io);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`login-policy-lint: ${e.message}\n`);
      if (e instanceof UsageError) io.stderr(`Run "login-policy-lint ${helpFor(argv)}--help" for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof RefusedUsage) {
      io.stderr(`login-policy-lint: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof OperationError) {
      io.stderr(`login-policy-lint: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}

/** `pull ` when the command line was a pull: the help that answers a usage error is that command's. */
function helpFor(argv: readonly string[]): string {
  const topic = argv[0] as HelpTopic;
  return topic in TOPIC_HELP ? `${topic} ` : '';
}

const TOPIC_HELP: Record<HelpTopic, string> = {
  fingerprint: FINGERPRINT_HELP,
  'import-clients': IMPORT_HELP,
  pull: PULL_HELP,
  status: STATUS_HELP,
  rotate: ROTATE_HELP,
};

async function lint(options: LintOptions, io: CliIo): Promise<number> {
  const store = new ConfigStore();
  const fixedConfig = options.config === undefined ? undefined : loadCliConfig(store, options.config, io.cwd, io.cwd);
  const configFor = (file: string): LoadedConfig | undefined => fixedConfig ?? store.forFile(file);
  const discoveryConfig = fixedConfig ?? store.forDirectory(io.cwd);
  assertUsable(discoveryConfig, io);
  const override = baselineOverride(options.baseline, io.cwd);
  const specOf = (file: string) => override ?? baselineSpecOf(configFor(file));
  const { files, searched } = await discoverFiles(options.patterns, io.cwd, discoveryConfig, (file) =>
    isDeployedSnapshot(file, specOf(file)),
  );
  if (files.length === 0) {
    io.stderr(`login-policy-lint: no login policy files found (searched ${searched}).\n`);
  }
  const inputs: { file: string; text: string; config: LoadedConfig | undefined }[] = [];
  for (const file of files) {
    const config = configFor(file);
    assertUsable(config, io);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read "${relative(io.cwd, file)}": ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
    inputs.push({ file, text, config });
  }
  // Cross-file facts: the linted policies know each other (duplicate ids, divergent secrets, replacements).
  const index = new WorkspaceIndex();
  for (const input of inputs) index.setPolicy(input.file, summarizePolicy(input.text));
  for (const file of await oidcClientFiles(io.cwd)) {
    try {
      index.setClient(file, readFileSync(file, 'utf8'));
    } catch {
      // An unreadable client file only means its client is not listed.
    }
  }
  const deployed = await deployedBaselines(inputs, (file) => index.idOf(file), specOf, options.baseline, io);
  const factsOf = (input: (typeof inputs)[number], liveChecks?: ReadonlyMap<string, LiveCheck>): AnalysisFacts => {
    const baseline = deployed.get(input.file);
    const pulled = deployedStateOf(specOf(input.file));
    return {
      clients: knownClientsFrom(
        input.config && {
          path: relative(path.dirname(input.file), input.config.path),
          clients: input.config.config?.clients,
        },
      ),
      ...(liveChecks ? { liveChecks } : {}),
      ...(baseline ? { baseline } : {}),
      ...(pulled ? { deployed: pulled } : {}),
    };
  };
  const analyzeAll = (liveChecks?: ReadonlyMap<string, LiveCheck>) =>
    inputs.map((input) =>
      analyze(input.text, {
        severities: mergeOverrides(input.config?.config?.rules, options.rules),
        facts: factsOf(input, liveChecks),
        workspace: (identity) => index.factsFor(input.file, identity),
      }),
    );
  let analyses = analyzeAll();
  if (options.verify) analyses = analyzeAll(await verifyAll(inputs, analyses, io));
  const results: FileResult[] = inputs.map((input, i) =>
    fileResult(input.file, relative(io.cwd, input.file), input.text, analyses[i]!.findings),
  );
  const summary = summarize(results);
  switch (options.format) {
    case 'json':
      io.stdout(formatJson(results, summary));
      break;
    case 'sarif':
      io.stdout(formatSarif(results, io.cwd));
      break;
    default:
      io.stdout(formatText(results, summary, io.color));
  }
  if (summary.errors > 0) return EXIT.problems;
  if (options.maxWarnings !== undefined && summary.warnings > options.maxWarnings) {
    io.stderr(`login-policy-lint: ${summary.warnings} warnings, more than --max-warnings ${options.maxWarnings}.\n`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

/** --baseline: a folder of snapshots, "none", or a git ref (checked before anything runs git). */
function baselineOverride(option: string | undefined, cwd: string): BaselineSpec | undefined {
  if (option === undefined) return undefined;
  if (option === 'none') return 'none';
  // An empty value (an unset variable in CI) would name the current folder: every policy a "snapshot".
  if (option.trim() === '')
    throw new UsageError('--baseline is empty: give a git ref, a folder of snapshots or "none".');
  const dir = path.resolve(cwd, option);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    if (isDeployedSnapshot(path.join(cwd, 'policy.json'), { dir })) {
      throw new UsageError(
        `--baseline ${option}: the snapshot folder holds the current folder; its files are not linted as policies, so nothing would be. Name the folder of deployed snapshots only.`,
      );
    }
    return { dir };
  }
  if (isSafeGitRef(option)) return { git: option };
  throw new UsageError(`--baseline expects a git ref, a folder of deployed snapshots or "none" (got "${option}").`);
}

/** The OIDC client files under the current folder: which policy each client uses (clients-on-replaced-policy). */
async function oidcClientFiles(cwd: string): Promise<string[]> {
  const files = await glob(OIDC_CLIENT_PATTERNS, { cwd, absolute: true, onlyFiles: true, ignore: IGNORED_DIRS });
  return files.map((f) => path.resolve(f));
}

/**
 * What is deployed for each policy with an id: --baseline (a folder of snapshots, "none", or a git ref) overrides
 * the config's `baseline`, which defaults to git HEAD.
 */
async function deployedBaselines(
  inputs: readonly { file: string }[],
  /** Each file's id, as the index read it: only policies with an id have a deployed version. */
  idOf: (file: string) => string | undefined,
  specOf: (file: string) => BaselineSpec,
  /** The --baseline option as given, for messages; set when it overrides the config. */
  override: string | undefined,
  io: CliIo,
): Promise<Map<string, DeployedBaseline>> {
  const store = new BaselineStore();
  const found = new Map<string, DeployedBaseline>();
  const unusable = new Map<string, string[]>();
  // Started together, so the store reads the files of one commit in a few git processes rather than one per file.
  const lookups = inputs.map((input) => {
    const id = idOf(input.file);
    return id ? store.find({ filePath: input.file, id, spec: specOf(input.file), allowGit: true }) : undefined;
  });
  for (const [i, input] of inputs.entries()) {
    const id = idOf(input.file);
    if (!id) continue;
    const spec = specOf(input.file);
    // HEAD is the default and may not exist yet (a new repository, no repository): then there is nothing deployed
    // to compare with. A ref someone named must exist, or the check would pass without comparing anything.
    if (typeof spec === 'object' && 'git' in spec && (override !== undefined || spec.git !== 'HEAD')) {
      const state = await store.refState(path.dirname(input.file), spec.git);
      if (state !== 'ok') {
        const why =
          state === 'no-repository'
            ? 'not in a git repository'
            : `"${spec.git}" is not a commit in this repository (in CI, fetch it first: actions/checkout with fetch-depth: 0)`;
        unusable.set(why, [...(unusable.get(why) ?? []), relative(io.cwd, input.file)]);
        continue;
      }
    }
    const baseline = await lookups[i];
    if (baseline) {
      found.set(input.file, deployedBaselineOf(id, baseline));
    }
  }
  for (const [why, files] of unusable) {
    const message = `no deployed baseline for ${files.join(', ')}: ${why}.`;
    if (override !== undefined) throw new UsageError(`--baseline ${override}: ${message}`);
    io.stderr(`login-policy-lint: warning: ${message} Edits to their identityStoreDetails were not checked.\n`);
  }
  return found;
}

/** Live checks of every linted policy's embedded owner credentials (--verify), with its own config's settings. */
async function verifyAll(
  inputs: readonly { file: string; config: LoadedConfig | undefined }[],
  analyses: readonly Analysis[],
  io: CliIo,
): Promise<ReadonlyMap<string, LiveCheck>> {
  const requests = inputs.flatMap((input, i) => {
    const request = credentialsOf(analyses[i]!.model);
    return request ? [{ request, settings: liveCheckSettings(input.config?.config) }] : [];
  });
  return verifyCredentials(requests, io);
}
