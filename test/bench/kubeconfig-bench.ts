/**
 * Kubeconfig benchmarks: parse + cluster model for 1,000 contexts (target well under 100 ms),
 * and planning a conversion of 1,000 users. Median of repeated runs, after a warm-up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildClusterModel } from '../../shared/kubeconfig/cluster-model.js';
import { planConversion } from '../../shared/kubeconfig/convert-plan.js';
import { parseConvertArgs } from '../../shared/kubeconfig/convert-options.js';
import { readKubeconfigs } from '../../shared/kubeconfig/kubeconfig-files.js';
import { parseKubeconfigYaml } from '../../shared/kubeconfig/kubeconfig-yaml.js';
import { unifiedDiff } from '../../shared/kubeconfig/unified-diff.js';
import { bigKubeconfig, buildKubeconfig, makeTempDir, removeDir, writeYaml, type UserSpec } from '../support/kubeconfig-fixtures.js';
import type { BenchRow } from './bench-row.js';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

let lastCpuMs = 0;

/** Median wall time in ms; the median CPU time (user + system) is left in lastCpuMs. */
function time(runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  lastCpuMs = median(cpu);
  return median(samples);
}

export async function benchKubeconfig(): Promise<BenchRow[]> {
  const dir = makeTempDir('kubetray-kube-bench-');
  try {
    const file = path.join(dir, 'config');
    writeYaml(file, bigKubeconfig(1000));
    const size = fs.statSync(file).size;
    const readAndModel = time(15, () => {
      buildClusterModel([file], readKubeconfigs([file]));
    });
    const readAndModelCpu = lastCpuMs;
    const text = fs.readFileSync(file, 'utf8');
    const parseOnly = time(15, () => {
      parseKubeconfigYaml(text, file);
    });

    const users: Record<string, UserSpec> = {};
    for (let i = 0; i < 1000; i++) {
      users[`aks-${i}`] = { exec: { command: 'kubelogin', args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630', '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', `tenant-${i}`, '--login', 'devicecode'] } };
    }
    const convertFile = path.join(dir, 'convert');
    writeYaml(convertFile, buildKubeconfig(users));
    const loaded = readKubeconfigs([convertFile]).loaded;
    const settings = parseConvertArgs(['-l', 'azurecli'], {}).settings;
    let after = '';
    const convert = time(9, () => {
      const plan = planConversion(loaded, settings);
      after = plan.files[0]?.after ?? '';
    });
    const convertCpu = lastCpuMs;
    const before = loaded[0]?.text ?? '';
    const diff = time(5, () => {
      unifiedDiff(before, after, 'a', 'b');
    });
    return [
      { area: 'kubeconfig', name: 'read + model, 1,000 contexts', value: readAndModel, unit: 'ms', target: '< 100 ms', pass: readAndModel < 100, note: `${Math.round(size / 1024)} KiB file, median of 15; CPU ${readAndModelCpu.toFixed(1)} ms` },
      { area: 'kubeconfig', name: 'YAML parse only, 1,000 contexts', value: parseOnly, unit: 'ms', note: 'median of 15' },
      { area: 'kubeconfig', name: 'convert plan, 1,000 users', value: convert, unit: 'ms', target: '< 500 ms', pass: convert < 500, note: `parse done; convert + splice + verify, median of 9; CPU ${convertCpu.toFixed(1)} ms` },
      { area: 'kubeconfig', name: 'dry-run diff, 1,000 users', value: diff, unit: 'ms', note: 'median of 5' },
    ];
  } finally {
    removeDir(dir);
  }
}
