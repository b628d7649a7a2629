/**
 * `-l azurecli`: the token comes from the Azure CLI the person already signed in to:
 *   az account get-access-token --resource <server-id> [--tenant <tenant>] -o json
 * (the same call azidentity's AzureCLICredential makes for kubelogin). AZURE_CONFIG_DIR selects
 * the CLI profile; the request carries the client's value so the tray uses the caller's profile.
 *
 * kubelogin runs `az` on every kubectl call (Azure/kubelogin#358: ~1 s each). The broker caches
 * the result like any other token until shortly before it expires; this module only fetches.
 */
import { AppError } from '../../core/app-error.js';
import { cliAccountInfo, parseAzAccessToken, type CliToken } from './azure-cli-output.js';
import { firstErrorLine, runTool, validateCliArgument } from './azure-cli-process.js';
import type { FlowResult, SignInFlow } from './sign-in-flow.js';

export const DEFAULT_CLI_TIMEOUT_MS = 60_000;

export interface AzureCliTokenInput {
  serverId: string;
  tenantId?: string;
  azureConfigDir?: string;
  timeoutMs?: number;
  /** Environment of the program; default process.env. PATH decides which `az` runs. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** kubelogin passes a resource (v1 style): the server id without a trailing '/.default'. */
export function azureCliResource(serverId: string): string {
  return serverId.replace(/\/\.default$/, '').replace(/\/+$/, '');
}

export function azureCliArgs(input: Pick<AzureCliTokenInput, 'serverId' | 'tenantId'>): string[] {
  const args = ['account', 'get-access-token', '--resource', validateCliArgument('server-id', azureCliResource(input.serverId))];
  if (input.tenantId) args.push('--tenant', validateCliArgument('tenant-id', input.tenantId));
  args.push('-o', 'json');
  return args;
}

export function azureCliEnv(base: NodeJS.ProcessEnv, azureConfigDir: string | undefined): NodeJS.ProcessEnv {
  const env = { ...base };
  if (azureConfigDir) env.AZURE_CONFIG_DIR = azureConfigDir;
  return env;
}

export async function acquireAzureCliToken(input: AzureCliTokenInput): Promise<CliToken> {
  const run = await runTool('az', azureCliArgs(input), {
    env: azureCliEnv(input.env ?? process.env, input.azureConfigDir),
    timeoutMs: input.timeoutMs ?? DEFAULT_CLI_TIMEOUT_MS,
    ...(input.signal ? { signal: input.signal } : {}),
    displayName: 'Azure CLI',
    installHint: 'Install the Azure CLI (https://aka.ms/azure-cli) and run `az login`, or choose another login method with -l.',
  });
  if (run.exitCode !== 0) throw azureCliError(run.stderr, input.tenantId);
  return parseAzAccessToken(run.stdout);
}

/** Maps az's stderr to an AppError whose message says what to run. */
export function azureCliError(stderr: string, tenantId: string | undefined): AppError {
  const loginCommand = tenantId ? `az login --tenant ${tenantId}` : 'az login';
  const line = firstErrorLine(stderr);
  if (/az login|az account set|not logged in|AADSTS(50173|70043|700082|50076|50079|53003)|interaction|expired/i.test(stderr)) {
    return new AppError('auth/interaction-required', `Azure CLI is not signed in for this request${line ? ` (${line})` : ''}: run \`${loginCommand}\` and try again.`, {
      detail: { method: 'azurecli' },
    });
  }
  return new AppError('auth/failed', `Azure CLI could not get a token${line ? `: ${line}` : ''}. Run \`${loginCommand}\`, then try again.`, {
    detail: { method: 'azurecli' },
  });
}

/** The broker keeps the result in memory until shortly before it expires (kubelogin#358). */
export const signInFlow: SignInFlow = {
  login: 'azurecli',
  kind: 'external',
  validate(request) {
    azureCliArgs(request);
  },
  keyParts(request) {
    // Different CLI profiles are different people: never share their tokens.
    return [`az-config:${request.azureConfigDir ?? ''}`];
  },
  async acquire(ctx): Promise<FlowResult> {
    const t = await acquireAzureCliToken({
      serverId: ctx.request.serverId,
      ...(ctx.request.tenantId ? { tenantId: ctx.request.tenantId } : {}),
      ...(ctx.request.azureConfigDir ? { azureConfigDir: ctx.request.azureConfigDir } : {}),
      ...(ctx.request.timeoutMs ? { timeoutMs: ctx.request.timeoutMs } : {}),
      signal: ctx.signal,
    });
    const account = cliAccountInfo(t, 'azurecli');
    return { accessToken: t.accessToken, expiresOn: t.expiresOn, tokenType: 'Bearer', source: 'refresh', ...(account ? { account } : {}) };
  },
};
