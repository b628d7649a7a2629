/** One line of the `npm run bench` table. Each area exports an async function returning rows. */
export interface BenchRow {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** Target, e.g. "<= 1.3x floor"; `pass` says whether it was met. */
  target?: string;
  pass?: boolean;
  note?: string;
}
