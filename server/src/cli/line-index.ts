// Offset → zero-based line and character (UTF-16 code units, as LSP counts them), for terminal and JSON output.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  /**
   * As an LSP document (vscode-languageserver-textdocument) counts it, so the CLI and the editor agree: an offset
   * past the end is the end, and one between the CR and the LF of a line break is the end of its line.
   */
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const start = this.starts[low]!;
    if (offset > start && this.text.charCodeAt(offset - 1) === 13 /* \r */) offset--;
    return { line: low, character: offset - start };
  }
}
