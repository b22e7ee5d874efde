/**
 * Splits a stream of text chunks into lines without re-copying what is left over: only the
 * part of a line that spans chunks is ever joined, so a burst of watch events costs the size
 * of the events, not the square of the buffer (as `buffer = buffer.slice(…)` per line did).
 */
export class LineSplitter {
  private pending: string[] = [];

  /** The complete lines the chunk finishes, trimmed, without the empty ones. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline >= 0) {
      let line = chunk.slice(start, newline);
      if (this.pending.length > 0) {
        line = this.pending.join('') + line;
        this.pending = [];
      }
      line = line.trim();
      if (line) lines.push(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.pending.push(chunk.slice(start));
    return lines;
  }
}
