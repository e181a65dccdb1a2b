// The .loginpolicyrc.json a command uses (--config, else the nearest one), refused with its findings when broken;
// and paths as messages show them (relative to the working folder, forward slashes).
import path from 'node:path';
import type { ConfigStore, LoadedConfig } from '../project/config-store';
import { UsageError } from './args';
import type { CliIo } from './io';
import { LineIndex } from '../shared/line-index';

/** A config file that cannot be used; its findings were printed like lint findings (exit code 2). */
export class ConfigError extends Error {}

/** `--config FILE` when given (it must exist), else the nearest config above `directory`. */
export function loadCliConfig(
  store: ConfigStore,
  option: string | undefined,
  directory: string,
  cwd: string,
): LoadedConfig | undefined {
  if (option === undefined) return store.forDirectory(directory);
  const config = store.load(path.resolve(cwd, option));
  if (!config) throw new UsageError(`--config: cannot read "${option}".`);
  return config;
}

/** Prints a broken config's findings (path:line:column like lint output) and stops with exit code 2. */
export function assertUsable(config: LoadedConfig | undefined, io: CliIo, nothing = 'nothing was linted'): void {
  if (!config || config.findings.length === 0) return;
  const lines = new LineIndex(config.text);
  const where = relative(io.cwd, config.path);
  for (const finding of config.findings) {
    const { line, character } = lines.positionAt(finding.range.offset);
    io.stderr(`${where}:${line + 1}:${character + 1}: error ${finding.ruleId}: ${finding.message}\n`);
  }
  throw new ConfigError(`invalid configuration in ${where}; ${nothing}.`);
}

/** `policies/a.json`: relative to the working folder when inside it, else absolute; forward slashes. */
export function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}
