// A throwaway git repository in a temp folder, for tests of the git baseline: write files, commit, clean up. Its git
// reads no user or system config and never the repository of a git hook that runs the tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitEnvironment } from '../../server/src/project/git';

/** No user or system config, a fixed identity (the machine may have none), the product's own git environment. */
const REPO_ENV: NodeJS.ProcessEnv = {
  ...gitEnvironment(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

export class GitRepo {
  private constructor(readonly dir: string) {}

  /** An empty repository on branch main (no commit yet), or a plain folder with `git: false`. */
  static create(prefix: string, options: { git?: boolean } = {}): GitRepo {
    const repo = new GitRepo(mkdtempSync(path.join(os.tmpdir(), prefix)));
    if (options.git !== false) repo.git('init', '--quiet', '--initial-branch=main');
    return repo;
  }

  /** A new repository in an existing folder (a test's project folder). */
  static initIn(dir: string): GitRepo {
    const repo = new GitRepo(dir);
    repo.git('init', '--quiet', '--initial-branch=main');
    return repo;
  }

  /** A path inside the repository; parts may hold forward slashes ("clients/web.json"). */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  write(file: string, text: string): string {
    const full = this.path(file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  /** Stages everything and commits it (even when nothing changed); returns the commit hash. */
  commit(message: string): string {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Runs git in the repository; a missing git fails with a message that says so. */
  git(...args: string[]): string {
    try {
      return execFileSync('git', args, {
        cwd: this.dir,
        env: REPO_ENV,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('These tests need git on PATH: they build a real temporary repository. Install git.', {
          cause: error,
        });
      }
      throw error;
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
