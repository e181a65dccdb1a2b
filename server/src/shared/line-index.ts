// Offset → zero-based line and character (UTF-16 code units, as LSP counts them), counted exactly as an LSP document
// (vscode-languageserver-textdocument) counts them, so the CLI's output, the server's diagnostics and every other
// position the editor sees agree. Line starts are found with native searches: most texts have no CR at all.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    const starts = this.starts;
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === CR) {
        if (text.charCodeAt(i + 1) === LF) i++;
        starts.push(i + 1);
      } else if (c === LF) {
        starts.push(i + 1);
      }
    }
  }

  /** An offset past the end is the end; one inside a line break is the end of its line. */
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const start = starts[low]!;
    while (offset > start && isEol(this.text.charCodeAt(offset - 1))) offset--;
    return { line: low, character: offset - start };
  }
}

const CR = 13;
const LF = 10;

function isEol(c: number): boolean {
  return c === CR || c === LF;
}
