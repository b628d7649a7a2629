/**
 * `-l azd`: the token comes from the Azure Developer CLI:
 *   azd auth token --output json --no-prompt --scope <server-id>/.default [--tenant-id <tenant>]
 * (azidentity's AzureDeveloperCLICredential call, which kubelogin uses). `--no-prompt` keeps azd
 * from waiting on a terminal nobody watches. The broker caches the result until shortly before
 * it expires.
 */
import { AppError } from '../../core/app-error.js';
import { cliAccountInfo, parseAzdToken, type CliToken } from './azure-cli-output.js';
import { firstErrorLine, runTool, validateCliArgument } from './azure-cli-process.js';
import { azureCliResource, DEFAULT_CLI_TIMEOUT_MS } from './azure-cli-flow.js';
import type { FlowResult, SignInFlow } from './sign-in-flow.js';

export interface AzdTokenInput {
  serverId: string;
  tenantId?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export function azdArgs(input: Pick<AzdTokenInput, 'serverId' | 'tenantId'>): string[] {
  const scope = `${validateCliArgument('server-id', azureCliResource(input.serverId))}/.default`;
  const args = ['auth', 'token', '--output', 'json', '--no-prompt', '--scope', scope];
  if (input.tenantId) args.push('--tenant-id', validateCliArgument('tenant-id', input.tenantId));
  return args;
}

export async function acquireAzdToken(input: AzdTokenInput): Promise<CliToken> {
  const run = await runTool('azd', azdArgs(input), {
    env: input.env ?? process.env,
    timeoutMs: input.timeoutMs ?? DEFAULT_CLI_TIMEOUT_MS,
    ...(input.signal ? { signal: input.signal } : {}),
    displayName: 'Azure Developer CLI',
    installHint: 'Install azd (https://aka.ms/azd-install) and run `azd auth login`, or choose another login method with -l.',
  });
  if (run.exitCode !== 0) throw azdError(run.stderr + '\n' + safeStdoutError(run.stdout), input.tenantId);
  return parseAzdToken(run.stdout);
}

/** azd prints failures as JSON on stdout with --output json ({"type":"consoleMessage",...}). */
function safeStdoutError(stdout: string): string {
  if (!stdout.trim().startsWith('{')) return '';
  try {
    const v = JSON.parse(stdout) as { data?: { message?: unknown } };
    return typeof v.data?.message === 'string' ? v.data.message : '';
  } catch {
    return '';
  }
}

export function azdError(output: string, tenantId: string | undefined): AppError {
  const loginCommand = tenantId ? `azd auth login --tenant-id ${tenantId}` : 'azd auth login';
  const line = firstErrorLine(output);
  if (/not logged in|azd auth login|AADSTS(50173|70043|700082|50076|50079)|expired|interaction/i.test(output)) {
    return new AppError('auth/interaction-required', `Azure Developer CLI is not signed in${line ? ` (${line})` : ''}: run \`${loginCommand}\` and try again.`, {
      detail: { method: 'azd' },
    });
  }
  return new AppError('auth/failed', `Azure Developer CLI could not get a token${line ? `: ${line}` : ''}. Run \`${loginCommand}\`, then try again.`, {
    detail: { method: 'azd' },
  });
}

export const signInFlow: SignInFlow = {
  login: 'azd',
  kind: 'external',
  validate(request) {
    azdArgs(request);
  },
  async acquire(ctx): Promise<FlowResult> {
    const t = await acquireAzdToken({
      serverId: ctx.request.serverId,
      ...(ctx.request.tenantId ? { tenantId: ctx.request.tenantId } : {}),
      ...(ctx.request.timeoutMs ? { timeoutMs: ctx.request.timeoutMs } : {}),
      signal: ctx.signal,
    });
    const account = cliAccountInfo(t, 'azd');
    return { accessToken: t.accessToken, expiresOn: t.expiresOn, tokenType: 'Bearer', source: 'refresh', ...(account ? { account } : {}) };
  },
};
