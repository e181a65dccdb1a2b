// A throwaway git repository in a temp folder, for tests of the git baseline: write files, commit, clean up.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class GitRepo {
  private constructor(readonly dir: string) {}

  /** An empty repository (no commit yet), or a plain folder with `git: false`. */
  static create(prefix: string, options: { git?: boolean } = {}): GitRepo {
    const repo = new GitRepo(mkdtempSync(path.join(tmpdir(), prefix)));
    if (options.git !== false) repo.git('init', '--quiet', '--initial-branch=main');
    return repo;
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  write(file: string, text: string): string {
    const full = this.path(file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  /** Stages everything and commits it; returns the commit hash. */
  commit(message: string): string {
    this.git('add', '--all');
    // An identity of its own: the machine running the tests may have none configured.
    this.git(
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '-m',
      message,
    );
    return this.git('rev-parse', 'HEAD').trim();
  }

  git(...args: string[]): string {
    const env = { ...process.env };
    // Set while a git hook runs: they would point these commands at the outer repository.
    for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[name];
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
