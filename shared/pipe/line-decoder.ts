/**
 * Splits a byte stream into newline-terminated frames with a hard size cap, so a peer that
 * never sends '\n' (or sends 10 MB) costs at most MAX_FRAME_BYTES of memory before we hang up.
 */
export interface LineDecoder {
  /** Feed a chunk; calls onLine for each complete line. Returns false once the cap was exceeded. */
  push(chunk: Buffer): boolean;
}

export function createLineDecoder(maxBytes: number, onLine: (line: string) => void, onOverflow: () => void): LineDecoder {
  let parts: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  return {
    push(chunk: Buffer): boolean {
      if (overflowed) return false;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        const end = nl === -1 ? chunk.length : nl;
        size += end - start;
        if (size > maxBytes) {
          overflowed = true;
          parts = [];
          onOverflow();
          return false;
        }
        if (nl === -1) {
          if (end > start) parts.push(chunk.subarray(start, end));
          return true;
        }
        parts.push(chunk.subarray(start, nl));
        const line = Buffer.concat(parts).toString('utf8');
        parts = [];
        size = 0;
        start = nl + 1;
        if (line.trim() !== '') onLine(line);
        if (overflowed) return false;
      }
    },
  };
}
