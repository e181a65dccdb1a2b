// Finds and loads the .loginpolicyrc.json that applies to a file: the nearest one walking up from the file's folder,
// stopping at a boundary (the workspace folder in the editor). Loaded files are cached until invalidated; open
// editor buffers can stand in for the file on disk so edits take effect as they are typed.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeConfig, type ConfigAnalysis } from '../engine/config/analyze-config';
import { CONFIG_FILE_NAME } from '../engine/config/schema';

export interface LoadedConfig extends ConfigAnalysis {
  /** Absolute path of the config file. */
  readonly path: string;
  /** Its folder: globs and relative paths in it are resolved from here. */
  readonly dir: string;
  readonly text: string;
}

export class ConfigStore {
  private readonly loaded = new Map<string, LoadedConfig | null>();
  private readonly overlays = new Map<string, string>();

  /** @param boundaries folders where the walk up stops (inclusive); none: walk to the filesystem root. */
  constructor(private boundaries: readonly string[] = []) {}

  boundaryList(): readonly string[] {
    return this.boundaries;
  }

  setBoundaries(boundaries: readonly string[]): void {
    this.boundaries = boundaries.map((b) => path.resolve(b));
    this.loaded.clear();
  }

  /** The config that applies to `filePath`, or undefined when there is none. */
  forFile(filePath: string): LoadedConfig | undefined {
    return this.forDirectory(path.dirname(path.resolve(filePath)));
  }

  /** The nearest config in `directory` or above it. */
  forDirectory(directory: string): LoadedConfig | undefined {
    let dir = path.resolve(directory);
    const boundary = this.boundaries
      .filter((b) => dir === b || dir.startsWith(b + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    for (;;) {
      const candidate = this.load(path.join(dir, CONFIG_FILE_NAME));
      if (candidate) return candidate;
      const up = path.dirname(dir);
      if (dir === boundary || up === dir) return undefined;
      dir = up;
    }
  }

  /** Loads one config file by path (cached); undefined when it does not exist. */
  load(configPath: string): LoadedConfig | undefined {
    const key = path.resolve(configPath);
    const cached = this.loaded.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.overlays.get(key) ?? readIfFile(key);
    const result = text === undefined ? null : { ...analyzeConfig(text), path: key, dir: path.dirname(key), text };
    this.loaded.set(key, result);
    return result ?? undefined;
  }

  /** Uses `text` instead of the file on disk (an open, maybe unsaved, editor buffer). */
  setOverlay(configPath: string, text: string): void {
    this.overlays.set(path.resolve(configPath), text);
    this.loaded.delete(path.resolve(configPath));
  }

  clearOverlay(configPath: string): void {
    this.overlays.delete(path.resolve(configPath));
    this.loaded.delete(path.resolve(configPath));
  }

  /** Forgets one file (it changed on disk) or everything. */
  invalidate(configPath?: string): void {
    if (configPath === undefined) this.loaded.clear();
    else this.loaded.delete(path.resolve(configPath));
  }
}

function readIfFile(filePath: string): string | undefined {
  try {
    if (!statSync(filePath).isFile()) return undefined;
    return readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}

export function isConfigFile(filePath: string): boolean {
  return path.basename(filePath) === CONFIG_FILE_NAME;
}
