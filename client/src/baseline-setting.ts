// Sets `"baseline": {"dir": …}` in the config after a pull, where the user sees it: an open document gets the edit (and
// is saved unless it had unsaved changes of its own), a closed file is rewritten, a missing one created; comments and
// layout are kept. The pull has worked by then, so every way this can fail (the editor refuses the edit, the save
// fails, the file cannot be read or written) is an answer in words, never an exception. No `vscode` import: the
// editor's part is given (pull-deployed.ts), so the unit tests script each failure.
import { withBaselineDir } from '../../server/src/identity-cloud/config-baseline-edit';

/** The config as an open document. */
export interface OpenConfig {
  readonly text: string;
  readonly isDirty: boolean;
  /** Replaces the whole text with one workspace edit; false when the editor did not apply it. */
  replaceAll(text: string): PromiseLike<boolean>;
  /** False when the file was not saved. */
  save(): PromiseLike<boolean>;
}

/** The config file, open in the editor or not. */
export interface ConfigAccess {
  /** The open document, when the config is open. */
  open(): OpenConfig | undefined;
  /** The file's text; undefined when there is no such file; throws when it cannot be read. */
  read(): PromiseLike<string | undefined>;
  write(text: string): PromiseLike<void>;
}

export type BaselineSetting =
  | { readonly set: true; /** What was done, for the log. */ readonly line: string }
  | { readonly set: false; /** What was not done and why, for the user. */ readonly problem: string };

/** `name`: the config as messages name it (relative to the workspace folder). */
export async function setBaselineDir(config: ConfigAccess, dir: string, name: string): Promise<BaselineSetting> {
  const entry = `"baseline": {"dir": "${dir}"}`;
  const done = (note = ''): BaselineSetting => ({ set: true, line: `Set ${entry} in ${name}${note}.` });
  const notSet = (why: string): BaselineSetting => ({
    set: false,
    problem: `The pull worked, but ${entry} was not set in ${name}: ${why}. Set it there to compare your policy files with the pull.`,
  });
  const open = config.open();
  if (open) {
    const wasDirty = open.isDirty;
    const edited = await attempt(() => open.replaceAll(withBaselineDir(open.text, dir)));
    if (edited !== true) return notSet(`the editor did not apply the edit${because(edited)}`);
    // The user's own unsaved changes are theirs to save.
    if (wasDirty) return done(' (not saved: the file had unsaved changes of its own)');
    const saved = await attempt(() => open.save());
    if (saved !== true) return notSet(`the edit is in the editor, but the file was not saved${because(saved)}`);
    return done();
  }
  let text: string | undefined;
  try {
    text = await config.read();
  } catch (error) {
    // Never written over: a config that exists but cannot be read would lose everything but the baseline.
    return notSet(`it cannot be read (${reasonOf(error)})`);
  }
  try {
    await config.write(withBaselineDir(text ?? '', dir));
  } catch (error) {
    return notSet(`it cannot be written (${reasonOf(error)})`);
  }
  return done();
}

/** The editor's answer, or the reason it threw. */
async function attempt(act: () => PromiseLike<boolean>): Promise<boolean | { readonly failed: string }> {
  try {
    return await act();
  } catch (error) {
    return { failed: reasonOf(error) };
  }
}

function because(answer: boolean | { readonly failed: string }): string {
  return typeof answer === 'object' ? ` (${answer.failed})` : '';
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
