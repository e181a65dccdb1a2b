// argv → files → analyze() → format → exit code (0 clean, 1 errors or too many warnings, 2 bad usage or config).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../engine/analyze';
import { mergeOverrides } from '../engine/severity';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { packageVersion } from '../util/package-root';
import { HELP, parseCliArgs, UsageError, type LintOptions } from './args';
import { discoverFiles } from './files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { LineIndex } from './line-index';
import { fileResult, summarize, type FileResult } from './results';

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
}

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    switch (options.command) {
      case 'help':
        io.stdout(HELP);
        return EXIT.ok;
      case 'version':
        io.stdout(`${packageVersion()}\n`);
        return EXIT.ok;
      case 'lint':
        return await lint(options, io);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`login-policy-lint: ${e.message}\n`);
      if (e instanceof UsageError) io.stderr('Run "login-policy-lint --help" for usage.\n');
      return EXIT.usage;
    }
    throw e;
  }
}

/** A config file that cannot be used; its findings are printed like lint findings. */
class ConfigError extends Error {}

async function lint(options: LintOptions, io: CliIo): Promise<number> {
  const store = new ConfigStore();
  let fixedConfig: LoadedConfig | undefined;
  if (options.config !== undefined) {
    fixedConfig = store.load(path.resolve(io.cwd, options.config));
    if (!fixedConfig) throw new UsageError(`--config: cannot read "${options.config}".`);
  }
  const configFor = (file: string): LoadedConfig | undefined => fixedConfig ?? store.forFile(file);
  const discoveryConfig = fixedConfig ?? store.forDirectory(io.cwd);
  assertUsable(discoveryConfig, io);
  const { files, searched } = await discoverFiles(options.patterns, io.cwd, discoveryConfig);
  if (files.length === 0) {
    io.stderr(`login-policy-lint: no login policy files found (searched ${searched}).\n`);
  }
  const results: FileResult[] = [];
  for (const file of files) {
    const config = configFor(file);
    assertUsable(config, io);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read "${relative(io.cwd, file)}": ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
    const analysis = analyze(text, { severities: mergeOverrides(config?.config?.rules, options.rules) });
    results.push(fileResult(file, relative(io.cwd, file), text, analysis.findings));
  }
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

/** Prints a broken config's findings (path:line:column like lint output) and stops with exit code 2. */
function assertUsable(config: LoadedConfig | undefined, io: CliIo): void {
  if (!config || config.findings.length === 0) return;
  const lines = new LineIndex(config.text);
  const where = relative(io.cwd, config.path);
  for (const finding of config.findings) {
    const { line, character } = lines.positionAt(finding.range.offset);
    io.stderr(`${where}:${line + 1}:${character + 1}: error ${finding.ruleId}: ${finding.message}\n`);
  }
  throw new ConfigError(`invalid configuration in ${where}; nothing was linted.`);
}

function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}
