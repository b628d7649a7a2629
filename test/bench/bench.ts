/**
 * `npm run bench`: every area's benchmarks in one table. Targets are checked here, never in
 * unit tests. Run on an otherwise idle machine; compare figures only within one environment
 * (NODE_EXTRA_CA_CERTS, for one, triples Node's start-up).
 */
import type { BenchRow } from './bench-row.js';

type BenchFn = () => Promise<BenchRow[]>;

const SUITES: Array<{ area: string; load: () => Promise<BenchFn> }> = [
  { area: 'pipe', load: async () => (await import('./pipe-bench.js')).benchPipe },
  { area: 'broker', load: async () => (await import('./broker-bench.js')).benchBroker },
  { area: 'kubeconfig', load: async () => (await import('./kubeconfig-bench.js')).benchKubeconfig },
  { area: 'desktop', load: async () => (await import('./desktop-bench.js')).benchDesktop },
];

function formatValue(row: BenchRow): string {
  const v = Math.abs(row.value) >= 100 ? row.value.toFixed(0) : row.value.toFixed(2);
  return `${v} ${row.unit}`;
}

function printTable(rows: BenchRow[]): void {
  const header = ['area', 'benchmark', 'result', 'target', 'met', 'note'];
  const body = rows.map((r) => [r.area, r.name, formatValue(r), r.target ?? '', r.pass === undefined ? '' : r.pass ? 'yes' : 'NO', r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  let failed = false;
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.area)) continue;
    process.stderr.write(`bench: ${suite.area}…\n`);
    try {
      const fn = await suite.load();
      rows.push(...(await fn()));
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: ${suite.area} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    }
  }
  console.log(`\nKubeTray benchmarks — node ${process.version}, ${process.platform}/${process.arch}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}\n`);
  printTable(rows);
  const missed = rows.filter((r) => r.pass === false);
  if (missed.length > 0) console.log(`\n${missed.length} target(s) missed.`);
  if (failed) process.exitCode = 1;
}

void main();
