/**
 * Workload identity endpoints on one plain-HTTP server on 127.0.0.1 (the real IMDS and App
 * Service endpoints are HTTP too; msal-node accepts http URLs from the environment):
 *  - IMDS (imds-routes.ts)               env: AZURE_POD_IDENTITY_AUTHORITY_HOST
 *  - App Service 2019-08-01              env: IDENTITY_ENDPOINT + IDENTITY_HEADER
 *  - GitHub Actions OIDC                 env: ACTIONS_ID_TOKEN_REQUEST_URL + _TOKEN
 *  - Azure Pipelines OIDC                env: SYSTEM_OIDCREQUESTURI + SYSTEM_ACCESSTOKEN
 * Tokens are minted with the Entra emulator's tenant keys, so the Kubernetes emulator accepts
 * them; the two CI issuers are registered as trusted federated issuers with the Entra emulator.
 * msal-node's ManagedIdentityApplication picks its source from env once per process: run each
 * source's test in its own process.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { close, listen, Router, sendJson, type RouteHandler } from '../http/http-kit.js';
import type { EntraEmulator } from '../entra/entra-emulator.js';
import type { AppInput, EntraApp } from '../entra/entra-directory.js';
import { registerAppServiceRoutes } from './app-service-routes.js';
import { registerGithubOidcRoutes } from './github-oidc-routes.js';
import { registerImdsRoutes, type MintRecorder } from './imds-routes.js';
import { ManagedIdentityRegistry, type ManagedIdentity, type ManagedIdentityInput } from './managed-identities.js';
import { OidcIssuer } from './oidc-issuer.js';
import { registerPipelinesOidcRoutes } from './pipelines-oidc-routes.js';

export interface IdentityEmulatorOptions {
  entra: EntraEmulator;
  port?: number;
  /** Managed identity token lifetime; default 86400 s like IMDS. */
  tokenLifetimeSeconds?: number;
  /** GitHub Actions subject; default repo:kubetray/kubetray:ref:refs/heads/main. */
  githubSubject?: string;
  /** Azure DevOps organization/project for Pipelines subjects. */
  pipelinesOrganization?: string;
  pipelinesProject?: string;
}

export interface IdentityEmulator {
  origin: string;
  systemAssigned: ManagedIdentity;
  addManagedIdentity(input?: ManagedIdentityInput): ManagedIdentity;
  imdsEnv(): Record<string, string>;
  appServiceEnv(): Record<string, string>;
  github: { issuer: string; subject: string; env(): Record<string, string> };
  pipelines: { issuer: string; subjectFor(serviceConnectionId: string): string; env(): Record<string, string> };
  /** Registers an Entra app whose federated credential trusts the GitHub or Pipelines issuer. */
  federatedApp(source: 'github' | 'pipelines', input?: AppInput & { serviceConnectionId?: string }): EntraApp;
  /** Successful token answers per source ('imds', 'app-service', 'github', 'pipelines'). */
  calls(source: string): number;
  issuedTokens(): string[];
  addRoute(method: string, pattern: RegExp, handler: RouteHandler): void;
  stop(): Promise<void>;
}

export async function startIdentityEmulator(options: IdentityEmulatorOptions): Promise<IdentityEmulator> {
  const { entra } = options;
  const router = new Router();
  const counts = new Map<string, number>();
  const issued: string[] = [];
  const registry = new ManagedIdentityRegistry(entra);
  const systemAssigned = registry.add({ systemAssigned: true });
  const identityHeader = crypto.randomBytes(18).toString('base64url');
  const requestToken = crypto.randomBytes(24).toString('base64url');
  const systemAccessToken = crypto.randomBytes(24).toString('base64url');
  const count = (source: string): void => {
    counts.set(source, (counts.get(source) ?? 0) + 1);
  };
  const record = (t: string): void => {
    issued.push(t);
  };
  const mint: MintRecorder = { lifetimeSeconds: options.tokenLifetimeSeconds ?? 86400, record, count };

  const server = http.createServer((req, res) => {
    void router.dispatch(req, res, origin).then(
      (found) => {
        if (!found) sendJson(res, 404, { error: 'not_found' });
      },
      () => {
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      },
    );
  });
  const port = await listen(server, options.port ?? 0);
  const origin = `http://127.0.0.1:${port}`;

  const github = new OidcIssuer(`${origin}/_github`);
  const githubSubject = options.githubSubject ?? 'repo:kubetray/kubetray:ref:refs/heads/main';
  const org = options.pipelinesOrganization ?? 'kubetray';
  const project = options.pipelinesProject ?? 'kubetray';
  const pipelines = new OidcIssuer(`${origin}/_pipelines/${crypto.randomUUID()}`);
  const subjectFor = (connection: string): string => `sc://${org}/${project}/${connection}`;
  entra.trustIssuer(github.issuer, github.jwks());
  entra.trustIssuer(pipelines.issuer, pipelines.jwks());

  registerImdsRoutes(router, registry, mint);
  registerAppServiceRoutes(router, registry, mint, identityHeader);
  registerGithubOidcRoutes(router, { issuer: github, requestToken, subject: githubSubject, count, record });
  registerPipelinesOidcRoutes(router, { issuer: pipelines, accessToken: systemAccessToken, subjectFor, count, record });

  return {
    origin,
    systemAssigned,
    addManagedIdentity: (input = {}) => registry.add(input),
    imdsEnv: () => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: origin }),
    appServiceEnv: () => ({ IDENTITY_ENDPOINT: `${origin}/msi/token`, IDENTITY_HEADER: identityHeader }),
    github: {
      issuer: github.issuer,
      subject: githubSubject,
      env: () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/_github/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }),
    },
    pipelines: {
      issuer: pipelines.issuer,
      subjectFor,
      env: () => ({ SYSTEM_OIDCREQUESTURI: `${origin}/_pipelines/oidctoken`, SYSTEM_ACCESSTOKEN: systemAccessToken }),
    },
    federatedApp: (source, input = {}) => {
      const { serviceConnectionId, ...appInput } = input;
      const credential =
        source === 'github'
          ? { issuer: github.issuer, subject: githubSubject }
          : { issuer: pipelines.issuer, subject: subjectFor(serviceConnectionId ?? 'kubetray-connection') };
      return entra.addApp({ displayName: `${source}-federated`, ...appInput, federatedCredentials: [...(appInput.federatedCredentials ?? []), credential] });
    },
    calls: (source) => counts.get(source) ?? 0,
    issuedTokens: () => [...issued],
    addRoute: (method, pattern, handler) => router.add(method, pattern, handler),
    stop: () => close(server),
  };
}
