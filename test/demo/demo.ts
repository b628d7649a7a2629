/**
 * `npm run demo`: KubeTray on its embedded default — a local demo tenant. Starts the Entra ID
 * emulator and the Kubernetes API emulator on 127.0.0.1, writes a demo kubeconfig whose users
 * run `kubetray get-token`, and runs the KubeTray broker (`kubetray serve`). Ctrl-C stops all.
 *
 *   node dist/test/demo/demo.js [--home DIR] [--auto-approve] [--entra-port N] [--kube-port N]
 *
 * --auto-approve signs the demo user in to every device code by itself (unattended runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_MFA_PASSWORD, DEMO_MFA_USER, DEMO_PASSWORD, DEMO_TENANT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { startKubeEmulator, type KubeEmulator } from '../emulators/kube/kube-emulator.js';

const AKS_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AKS_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';
// Fixed ports keep msal-node's cache keys (host:port) stable across demo runs; busy → random.
const DEFAULT_ENTRA_PORT = 47443;
const DEFAULT_KUBE_PORT = 47444;

interface DemoArgs {
  home: string;
  autoApprove: boolean;
  entraPort: number;
  kubePort: number;
}

function parseArgs(argv: string[]): DemoArgs {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const args: DemoArgs = {
    home: process.env.KUBETRAY_HOME || path.join(repoRoot, '.kubetray-dev'),
    autoApprove: false,
    entraPort: DEFAULT_ENTRA_PORT,
    kubePort: DEFAULT_KUBE_PORT,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--home') args.home = path.resolve(value());
    else if (a === '--auto-approve') args.autoApprove = true;
    else if (a === '--entra-port') args.entraPort = Number(value());
    else if (a === '--kube-port') args.kubePort = Number(value());
    else if (a === '--help' || a === '-h') {
      console.log('Usage: npm run demo -- [--home DIR] [--auto-approve] [--entra-port N] [--kube-port N]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return args;
}

async function startOnPreferredPort<T>(start: (port: number) => Promise<T>, port: number, what: string): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stderr.write(`demo: port ${port} is busy; ${what} takes a random port (the demo cache starts empty).\n`);
    return start(0);
  }
}

function writeDemoKubeconfig(file: string, kube: KubeEmulator, entra: EntraEmulator, home: string): void {
  const cli = path.resolve(__dirname, '..', '..', 'shared', 'cli', 'main.js');
  const env = [
    { name: 'KUBETRAY_HOME', value: home },
    { name: 'KUBETRAY_CA_FILE', value: entra.caFile },
  ];
  const user = (login: string, extra: string[] = []) => ({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: [cli, 'get-token', '--login', login, '--server-id', AKS_SERVER_ID, '--client-id', AKS_CLIENT_ID,
        '--tenant-id', DEMO_TENANT_ID, '--authority-host', entra.authorityHost, ...extra],
      env,
      interactiveMode: 'IfAvailable',
      provideClusterInfo: false,
      installHint: 'KubeTray demo: run `npm run demo` in the KubeTray checkout.',
    },
  });
  const cluster = { server: kube.origin, 'certificate-authority-data': Buffer.from(kube.caPem).toString('base64') };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'kubetray-demo',
    clusters: [{ name: 'kubetray-demo', cluster }],
    users: [
      { name: 'demo-devicecode', user: user('devicecode') },
      { name: 'demo-interactive', user: user('interactive') },
    ],
    contexts: [
      { name: 'kubetray-demo', context: { cluster: 'kubetray-demo', user: 'demo-devicecode', namespace: 'kubetray-demo' } },
      { name: 'kubetray-demo-browser', context: { cluster: 'kubetray-demo', user: 'demo-interactive' } },
    ],
    preferences: {},
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, yaml.dump(config, { lineWidth: -1 }), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function startBroker(home: string, caFile: string): Promise<ChildProcess> {
  const cli = path.resolve(__dirname, '..', '..', 'shared', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, KUBETRAY_HOME: home, KUBETRAY_CA_FILE: caFile },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      seen += chunk.toString();
      if (seen.includes('listening on')) resolve(child);
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`kubetray serve exited (${code}) before listening`)));
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.home, { recursive: true, mode: 0o700 });
  // stateDir keeps the tenant's CA, signing keys and refresh tokens: with the fixed ports, a
  // person stays signed in across demo restarts, as with a real tenant.
  const stateDir = path.join(args.home, 'demo-tenant');
  const entra = await startOnPreferredPort((port) => startEntraEmulator({ port, stateDir }), args.entraPort, 'the Entra ID emulator');
  const kube = await startOnPreferredPort((port) => startKubeEmulator({ entra, port }), args.kubePort, 'the Kubernetes API emulator');
  const kubeconfig = path.join(args.home, 'demo-kubeconfig.yaml');
  writeDemoKubeconfig(kubeconfig, kube, entra, args.home);
  if (args.autoApprove) {
    entra.onDeviceCode((issued) => entra.approveDeviceCode(issued.userCode, DEMO_USER));
  }
  const broker = await startBroker(args.home, entra.caFile);

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\ndemo: stopping (${why})…\n`);
    if (broker.exitCode === null) {
      const exited = new Promise((r) => broker.once('exit', r));
      broker.kill('SIGTERM');
      await exited;
    }
    await Promise.allSettled([kube.stop(), entra.stop()]);
    process.stderr.write('demo: stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  broker.once('exit', (code) => void stop(`broker exited with ${code}`));

  const lines = [
    '',
    'KubeTray demo is running — a local Entra ID tenant, a Kubernetes API and the KubeTray broker.',
    '',
    `  Entra ID emulator     ${entra.origin}  (tenant ${DEMO_TENANT_ID})`,
    `  Kubernetes API        ${kube.origin}`,
    `  KubeTray home         ${args.home}`,
    '',
    'In another terminal:',
    '',
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl get namespaces        # signs in once (device code), then served from the broker',
    '  kubectl auth whoami',
    '  kubectl --context kubetray-demo-browser get pods   # browser sign-in instead',
    '',
    `Sign in as ${DEMO_USER} / ${DEMO_PASSWORD}`,
    `  (MFA user: ${DEMO_MFA_USER} / ${DEMO_MFA_PASSWORD}, verification code ${entra.mfaCodeFor(DEMO_MFA_USER)})`,
    `The emulator's certificate comes from a CA made for this run (${entra.caFile});`,
    'your browser will warn about it — that is expected for the local demo.',
    args.autoApprove ? '\n--auto-approve: device codes are approved as the demo user automatically.' : '',
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(`READY KUBECONFIG=${kubeconfig}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
