// Set Baseline after a pull (client/src/baseline-setting.ts), with the editor scripted: the config open or closed,
// clean or with unsaved changes, and each way the editor or the disk can refuse. What the user is told is checked in
// words: set, or "the pull worked, but … was not set" with why; never an exception after a pull that worked, and an
// unreadable config is never written over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setBaselineDir, type ConfigAccess } from '../../../client/src/baseline-setting';

const CONFIG = '{\n  // the demo customer\n  "clients": []\n}\n';
const NAME = '.loginpolicyrc.json';
const NOT_SET = 'The pull worked, but "baseline": {"dir": "deployed"} was not set in .loginpolicyrc.json: ';

/** A config file, open in an editor or not, whose editor and disk answer as the script says. */
class ScriptedConfig implements ConfigAccess {
  disk: string | undefined;
  editor: string | undefined;
  readonly calls: string[] = [];

  constructor(
    private readonly script: {
      disk?: string | undefined;
      open?: { readonly dirty?: boolean };
      applies?: boolean | Error;
      saves?: boolean | Error;
      readFails?: Error;
      writeFails?: Error;
    },
  ) {
    this.disk = script.disk;
    this.editor = script.open ? script.disk : undefined;
  }

  open() {
    const { open } = this.script;
    if (!open || this.editor === undefined) return undefined;
    return {
      text: this.editor,
      isDirty: open.dirty ?? false,
      replaceAll: (text: string) => {
        this.calls.push('edit');
        const answer = this.script.applies ?? true;
        if (answer instanceof Error) return Promise.reject(answer);
        if (answer) this.editor = text;
        return Promise.resolve(answer);
      },
      save: () => {
        this.calls.push('save');
        const answer = this.script.saves ?? true;
        if (answer instanceof Error) return Promise.reject(answer);
        if (answer) this.disk = this.editor;
        return Promise.resolve(answer);
      },
    };
  }

  read() {
    this.calls.push('read');
    return this.script.readFails ? Promise.reject(this.script.readFails) : Promise.resolve(this.disk);
  }

  write(text: string) {
    this.calls.push('write');
    if (this.script.writeFails) return Promise.reject(this.script.writeFails);
    this.disk = text;
    return Promise.resolve();
  }
}

const baselineIn = (text: string | undefined) => /"baseline": \{\s*"dir": "deployed"\s*\}/.test(text ?? '');

describe('Set Baseline after a pull', () => {
  it('rewrites a closed config keeping its comments, and creates a missing one', async () => {
    const closed = new ScriptedConfig({ disk: CONFIG });
    assert.deepEqual(await setBaselineDir(closed, 'deployed', NAME), {
      set: true,
      line: 'Set "baseline": {"dir": "deployed"} in .loginpolicyrc.json.',
    });
    assert.ok(baselineIn(closed.disk) && closed.disk!.includes('// the demo customer'), closed.disk);

    const missing = new ScriptedConfig({});
    assert.equal((await setBaselineDir(missing, 'deployed', NAME)).set, true);
    assert.ok(baselineIn(missing.disk), missing.disk);
  });

  it('edits and saves an open config; one with unsaved changes of its own is edited and left unsaved', async () => {
    const clean = new ScriptedConfig({ disk: CONFIG, open: {} });
    assert.equal((await setBaselineDir(clean, 'deployed', NAME)).set, true);
    assert.deepEqual(clean.calls, ['edit', 'save']);
    assert.ok(baselineIn(clean.disk));

    const dirty = new ScriptedConfig({ disk: CONFIG, open: { dirty: true } });
    assert.deepEqual(await setBaselineDir(dirty, 'deployed', NAME), {
      set: true,
      line: 'Set "baseline": {"dir": "deployed"} in .loginpolicyrc.json (not saved: the file had unsaved changes of its own).',
    });
    assert.deepEqual(dirty.calls, ['edit']);
    assert.ok(baselineIn(dirty.editor) && !baselineIn(dirty.disk));
  });

  it('a config that cannot be written: not set, said in words, no exception', async () => {
    const error = Object.assign(new Error("EACCES: permission denied, open '/w/.loginpolicyrc.json'"), {
      code: 'NoPermissions',
    });
    const readOnly = new ScriptedConfig({ disk: CONFIG, writeFails: error });
    assert.deepEqual(await setBaselineDir(readOnly, 'deployed', NAME), {
      set: false,
      problem: `${NOT_SET}it cannot be written (EACCES: permission denied, open '/w/.loginpolicyrc.json'). Set it there to compare your policy files with the pull.`,
    });
    assert.equal(readOnly.disk, CONFIG);
  });

  it('a config that cannot be read is never written over', async () => {
    const unreadable = new ScriptedConfig({ disk: CONFIG, readFails: new Error('EIO: i/o error, read') });
    const setting = await setBaselineDir(unreadable, 'deployed', NAME);
    assert.deepEqual(setting, {
      set: false,
      problem: `${NOT_SET}it cannot be read (EIO: i/o error, read). Set it there to compare your policy files with the pull.`,
    });
    assert.deepEqual(unreadable.calls, ['read'], 'not written');
  });

  it('an edit the editor does not apply, or a save that fails, is not a baseline set', async () => {
    const refused = new ScriptedConfig({ disk: CONFIG, open: {}, applies: false });
    assert.deepEqual(await setBaselineDir(refused, 'deployed', NAME), {
      set: false,
      problem: `${NOT_SET}the editor did not apply the edit. Set it there to compare your policy files with the pull.`,
    });
    assert.deepEqual(refused.calls, ['edit'], 'nothing to save');

    const unsaved = new ScriptedConfig({ disk: CONFIG, open: {}, saves: false });
    assert.deepEqual(await setBaselineDir(unsaved, 'deployed', NAME), {
      set: false,
      problem: `${NOT_SET}the edit is in the editor, but the file was not saved. Set it there to compare your policy files with the pull.`,
    });
    assert.ok(!baselineIn(unsaved.disk));

    const readOnly = new ScriptedConfig({ disk: CONFIG, open: {}, applies: new Error('the file is read-only') });
    assert.deepEqual(await setBaselineDir(readOnly, 'deployed', NAME), {
      set: false,
      problem: `${NOT_SET}the editor did not apply the edit (the file is read-only). Set it there to compare your policy files with the pull.`,
    });
    const saveThrows = new ScriptedConfig({ disk: CONFIG, open: {}, saves: new Error('EROFS: read-only file system') });
    assert.deepEqual(await setBaselineDir(saveThrows, 'deployed', NAME), {
      set: false,
      problem: `${NOT_SET}the edit is in the editor, but the file was not saved (EROFS: read-only file system). Set it there to compare your policy files with the pull.`,
    });
  });
});
