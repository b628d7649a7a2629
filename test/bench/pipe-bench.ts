/**
 * Pipe and exec-client benchmarks (`npm run bench pipe`), against the real broker
 * (`kubetray serve`) and the Entra ID emulator:
 *   - `kubetray get-token` with a warm broker vs `node -e 0` (the floor), medians of 30+ runs;
 *   - broker throughput and p99 latency with 100 concurrent clients;
 *   - 200 concurrent cold requests served by one device code sign-in.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow } from './bench-row.js';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { KUBETRAY_MAIN, startServe } from '../support/pipe-processes.js';
import { requestToken } from '../../shared/pipe/pipe-client.js';
import { resolvePaths } from '../../shared/node/paths.js';
import type { TokenRequest } from '../../shared/core/token-request.js';

const AREA = 'pipe';
const RUNS = 31;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}`));
    });
  });
}

export async function benchPipe(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const entra = await startEntraEmulator();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-'));
  const stopApproving = entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  // Same environment for the client and the floor (NODE_EXTRA_CA_CERTS and all).
  const env: NodeJS.ProcessEnv = { ...process.env, KUBETRAY_HOME: home, KUBETRAY_CA_FILE: entra.caFile };
  delete env.KUBERNETES_EXEC_INFO;
  const serve = await startServe(env);
  const paths = resolvePaths(env);
  const request = (clientId: string): TokenRequest => ({ login: 'devicecode', serverId: AKS_SERVER_ID, clientId, tenantId: DEMO_TENANT_ID, authorityHost: entra.authorityHost });
  try {
    // Warm the broker: one sign-in.
    const warm = await requestToken({ paths, request: request(AKS_CLIENT_ID), interactive: true });
    if (!warm.ok) throw new Error(`warm-up failed: ${warm.error.code} ${warm.error.message}`);

    // 1. exec client vs the node floor, interleaved so drift hits both alike.
    const args = [KUBETRAY_MAIN, 'get-token', '--login', 'devicecode', '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost];
    const client: number[] = [];
    const floor: number[] = [];
    await timeProcess(args, env);
    await timeProcess(['-e', '0'], env);
    for (let i = 0; i < RUNS; i++) {
      floor.push(await timeProcess(['-e', '0'], env));
      client.push(await timeProcess(args, env));
    }
    const ratio = median(client) / median(floor);
    rows.push({ area: AREA, name: 'node -e 0 (floor), median', value: median(floor), unit: 'ms', note: `${RUNS} runs` });
    rows.push({ area: AREA, name: 'kubetray get-token, warm broker, median', value: median(client), unit: 'ms', note: `${RUNS} runs` });
    rows.push({ area: AREA, name: 'get-token / floor', value: ratio, unit: 'x', target: '<= 1.3x', pass: ratio <= 1.3 });

    // 2a. One client, sequential: the broker's own answer time (connection per request).
    const single: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = process.hrtime.bigint();
      const r = await requestToken({ paths, request: request(AKS_CLIENT_ID), interactive: true });
      if (!r.ok) throw new Error(`request failed: ${r.error.code}`);
      single.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    rows.push({ area: AREA, name: 'broker round trip, one client, median', value: median(single), unit: 'ms', note: '200 sequential requests, warm' });

    // 2b. Throughput and p99 with 100 concurrent clients (connection per request, as the CLI does).
    const total = 5_000;
    const latencies: number[] = [];
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next < total) {
          next += 1;
          const s = process.hrtime.bigint();
          const r = await requestToken({ paths, request: request(AKS_CLIENT_ID), interactive: true });
          if (!r.ok) throw new Error(`request failed: ${r.error.code}`);
          latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push({ area: AREA, name: 'broker throughput, 100 concurrent clients', value: total / seconds, unit: 'req/s', note: `${total} requests` });
    rows.push({ area: AREA, name: 'broker p99 latency, 100 concurrent clients', value: percentile(latencies, 99), unit: 'ms' });

    // 3. 200 concurrent cold requests, one sign-in (a fresh public client = a cold session).
    const cold = randomUUID();
    entra.addApp({ appId: cold, displayName: 'bench cold client', publicClient: true }, DEMO_TENANT_ID);
    const signIns = entra.signIns();
    const c0 = process.hrtime.bigint();
    const results = await Promise.all(Array.from({ length: 200 }, () => requestToken({ paths, request: request(cold), interactive: true })));
    const coldMs = Number(process.hrtime.bigint() - c0) / 1e6;
    const okCount = results.filter((r) => r.ok).length;
    const used = entra.signIns() - signIns;
    rows.push({
      area: AREA,
      name: '200 concurrent cold requests, one device code sign-in',
      value: coldMs,
      unit: 'ms',
      target: '200 ok, 1 sign-in',
      pass: okCount === 200 && used === 1,
      note: `${okCount} ok, ${used} sign-in(s)`,
    });
  } finally {
    stopApproving();
    await serve.stop();
    await entra.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
  return rows;
}
