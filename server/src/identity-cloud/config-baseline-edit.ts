// Sets `"baseline": {"dir": …}` in a .loginpolicyrc.json text, keeping the rest of the file, comments included: what
// the editor offers after a pull, so that policy files are compared with what is deployed (DESIGN §6, §13).
import { applyEdits, modify } from 'jsonc-parser';

const FORMATTING = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** The config text with `baseline` set to `{"dir": dir}` (an empty text becomes a new config). */
export function withBaselineDir(text: string, dir: string): string {
  const base = text.trim() === '' ? '{}\n' : text;
  return applyEdits(base, modify(base, ['baseline'], { dir }, FORMATTING));
}
