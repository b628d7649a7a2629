/**
 * Kubeconfig test helpers: temp dirs, kubeconfig builders and an in-process CliIo.
 * Real files, real js-yaml; nothing faked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { CliIo } from '../../shared/cli/cli-io.js';

export function makeTempDir(prefix = 'kubetray-kube-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export function captureIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: env as NodeJS.ProcessEnv,
    cwd,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}

export type UserSpec =
  | { authProvider: { name: string; config?: Record<string, string> } }
  | { exec: { command: string; args: string[]; installHint?: string; env?: Array<{ name: string; value: string }>; apiVersion?: string } }
  | { raw: Record<string, unknown> };

/** A kubeconfig with one cluster + context + user per entry (context, cluster and user share the name). */
export function buildKubeconfig(users: Record<string, UserSpec>, current?: string): Record<string, unknown> {
  const names = Object.keys(users);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map((name) => ({ name, cluster: { server: `https://${name}.example.test:443`, 'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' } })),
    contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
    'current-context': current ?? names[0] ?? '',
    preferences: {},
    users: names.map((name) => {
      const spec = users[name] as UserSpec;
      if ('authProvider' in spec) return { name, user: { 'auth-provider': { name: spec.authProvider.name, config: spec.authProvider.config ?? {} } } };
      if ('raw' in spec) return { name, user: spec.raw };
      const exec: Record<string, unknown> = { apiVersion: spec.exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1', command: spec.exec.command, args: spec.exec.args };
      if (spec.exec.installHint !== undefined) exec.installHint = spec.exec.installHint;
      if (spec.exec.env !== undefined) exec.env = spec.exec.env;
      return { name, user: { exec } };
    }),
  };
}

export function writeYaml(file: string, doc: unknown, mode = 0o600): void {
  fs.writeFileSync(file, yaml.dump(doc, { noArrayIndent: true }), { mode });
}

export function readYaml(file: string): Record<string, unknown> {
  return yaml.load(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function userOf(doc: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const users = doc.users as Array<{ name: string; user: Record<string, unknown> }>;
  return users.find((u) => u.name === name)?.user;
}

/** A large, real-world-shaped kubeconfig: many AKS users in every shape, plus non-Azure ones. */
export function bigKubeconfig(count: number): Record<string, unknown> {
  const users: Record<string, UserSpec> = {};
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    const name = `aks-${String(i).padStart(4, '0')}`;
    if (kind === 0) users[name] = { exec: { command: 'kubelogin', args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630', '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', `tenant-${i}`, '--login', 'devicecode'] } };
    else if (kind === 1) users[name] = { authProvider: { name: 'azure', config: { 'apiserver-id': 'server-' + i, 'client-id': 'client-' + i, 'tenant-id': 'tenant-' + i, environment: 'AzurePublicCloud', 'config-mode': '1' } } };
    else if (kind === 2) users[name] = { raw: { 'client-certificate-data': 'LS0tLS1CRUdJTg==', 'client-key-data': 'LS0tLS1CRUdJTg==' } };
    else if (kind === 3) users[name] = { exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-name', name] } };
    else users[name] = { exec: { command: '/usr/local/bin/kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'] } };
  }
  return buildKubeconfig(users);
}
