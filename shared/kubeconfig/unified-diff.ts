/**
 * A small line diff for `convert-kubeconfig --dry-run`, printed in unified format (as `diff -u`).
 * Patience diff: lines that occur exactly once on both sides anchor the match (longest increasing
 * run), and the gaps between anchors are diffed with Myers' O(ND) algorithm. Kubeconfigs are full
 * of unique lines (names, servers), so gaps stay small even for thousands of users.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Myers' greedy algorithm on a small window; falls back to delete-all/insert-all past maxD. */
function myers(a: readonly string[], b: readonly string[], maxD = 2000): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] as string });
      y--;
    }
    if (down) ops.push({ kind: '+', line: b[--y] as string });
    else ops.push({ kind: '-', line: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] as string });
    y--;
  }
  return ops.reverse();
}

function uniqueAnchors(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const count = new Map<string, { a: number; b: number; ai: number; bi: number }>();
  a.forEach((line, i) => {
    const c = count.get(line) ?? { a: 0, b: 0, ai: -1, bi: -1 };
    c.a++;
    c.ai = i;
    count.set(line, c);
  });
  b.forEach((line, i) => {
    const c = count.get(line);
    if (!c) return;
    c.b++;
    c.bi = i;
  });
  const pairs: Array<[number, number]> = [];
  for (const c of count.values()) if (c.a === 1 && c.b === 1) pairs.push([c.ai, c.bi]);
  pairs.sort((p, q) => p[0] - q[0]);
  // Longest increasing subsequence on b-indices (patience sorting).
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  pairs.forEach((p, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pairs[tails[mid] as number] as [number, number])[1] < p[1]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1] as number;
    tails[lo] = i;
  });
  const out: Array<[number, number]> = [];
  for (let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1; i >= 0; i = prev[i] as number) out.push(pairs[i] as [number, number]);
  return out.reverse();
}

export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const ops: Op[] = [];
  let ai = 0;
  let bi = 0;
  for (const [x, y] of [...uniqueAnchors(a, b), [a.length, b.length] as [number, number]]) {
    ops.push(...myers(a.slice(ai, x), b.slice(bi, y)));
    if (x < a.length) ops.push({ kind: ' ', line: a[x] as string });
    ai = x + 1;
    bi = y + 1;
  }
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `diff -u`-style text; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const out: string[] = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  const aLine = new Int32Array(ops.length + 1);
  const bLine = new Int32Array(ops.length + 1);
  for (let k = 0, na = 0, nb = 0; k < ops.length; k++) {
    aLine[k] = na;
    bLine[k] = nb;
    const kind = (ops[k] as Op).kind;
    if (kind !== '+') na++;
    if (kind !== '-') nb++;
  }
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (end < ops.length && (ops[end] as Op).kind !== ' ') end++;
      let next = end;
      while (next < ops.length && (ops[next] as Op).kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aCount === 0 ? (aLine[start] as number) : (aLine[start] as number) + 1;
    const bStart = bCount === 0 ? (bLine[start] as number) : (bLine[start] as number) + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
    i = end;
  }
  return out.join('\n') + '\n';
}
