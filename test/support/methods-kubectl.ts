/**
 * kubectl -> `kubetray get-token` (compiled bin) for the METHODS suites, in the two ways a user
 * runs it: with a broker (`kubetray serve`, KUBETRAY_BROKER=only) and without (in-process,
 * KUBETRAY_BROKER=off). Built on the PIPE+CLI process helpers.
 */
import type { EntraEmulator } from '../emulators/entra/entra-emulator.js';
import type { KubeEmulator } from '../emulators/kube/kube-emulator.js';
import { KUBETRAY_MAIN, kubectl, kubectlInTerminal, type RunResult } from './pipe-processes.js';

export type Mode = 'broker' | 'in-process';
export const MODES: readonly Mode[] = ['in-process', 'broker'];

export interface KubectlRig {
  entra: EntraEmulator;
  kube: KubeEmulator;
  /** KUBETRAY_HOME of the running `kubetray serve`. */
  brokerHome: string;
  /** KUBETRAY_HOME where no broker runs. */
  localHome: string;
  /** PATH for kubectl (and so for in-process get-token and the CLIs it spawns). */
  path: string;
}

export function homeFor(rig: KubectlRig, mode: Mode): string {
  return mode === 'broker' ? rig.brokerHome : rig.localHome;
}

/** Writes a kubeconfig whose user runs `kubetray <args>` with `execEnv` (the exec stanza's env). */
export function methodKubeconfig(rig: KubectlRig, mode: Mode, args: string[], execEnv: Record<string, string> = {}, interactiveMode: 'Never' | 'IfAvailable' = 'Never'): string {
  const env = Object.entries({
    KUBETRAY_HOME: homeFor(rig, mode),
    KUBETRAY_CA_FILE: rig.entra.caFile,
    KUBETRAY_BROKER: mode === 'broker' ? 'only' : 'off',
    ...execEnv,
  }).map(([name, value]) => ({ name, value }));
  return rig.kube.kubeconfigFor({
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [KUBETRAY_MAIN, ...args], env, interactiveMode } },
  });
}

/** `kubectl get namespaces` with that kubeconfig; kubectl's env carries `env` too. */
export function kubectlGetNamespaces(rig: KubectlRig, kubeconfig: string, env: Record<string, string> = {}): Promise<RunResult> {
  return kubectl(['--kubeconfig', kubeconfig, 'get', 'namespaces'], { PATH: rig.path, HOME: rig.localHome, ...env }, 60_000);
}

/** The same under a pseudo-terminal: kubectl reports spec.interactive=true (stdout+stderr merged). */
export function kubectlGetNamespacesInTerminal(rig: KubectlRig, kubeconfig: string, env: Record<string, string> = {}): Promise<RunResult> {
  return kubectlInTerminal(['--kubeconfig', kubeconfig, 'get', 'namespaces'], { PATH: rig.path, HOME: rig.localHome, ...env }, 90_000);
}
