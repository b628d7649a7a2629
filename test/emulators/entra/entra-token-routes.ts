/**
 * The device authorization and token endpoints. Each call is logged with its grant type, client
 * and outcome (the request log tests read), faults apply first, and grant handlers come from a
 * registry so tests can add grants.
 */
import type * as http from 'node:http';
import { readForm, sendJson, type Router } from '../http/http-kit.js';
import { AADSTS, EntraError, entraErrorBody } from './entra-errors.js';
import type { FaultInjector } from './entra-faults.js';
import type { GrantHandler } from './entra-grants.js';
import { bump, parseClaims, resolveTenant, type EntraState } from './entra-state.js';

const TENANT = '(?<tenant>[A-Za-z0-9._-]+)';

export interface TokenRouteContext {
  state: EntraState;
  faults: FaultInjector;
  grants: Map<string, GrantHandler>;
  log(entry: { method: string; path: string; status: number; tenant?: string; grantType?: string; clientId?: string; outcome: string }): void;
  /** Responses these routes log themselves (the generic logger skips them). */
  selfLogged: WeakSet<http.ServerResponse>;
}

function describe(error: unknown): string {
  return error instanceof EntraError ? '' : ` (${error instanceof Error ? error.message : String(error)})`;
}

export function registerTokenRoutes(router: Router, ctx: TokenRouteContext): void {
  const { state, faults, grants, log, selfLogged } = ctx;
  router.add('POST', new RegExp(`^/${TENANT}/oauth2/(v2\\.0/)?devicecode$`), async ({ req, res, params, url }) => {
    selfLogged.add(res);
    const form = await readForm(req);
    const clientId = (form.get('client_id') ?? '').toLowerCase();
    const entry = { method: 'POST', path: url.pathname, tenant: params.tenant, grantType: 'device_code_request', clientId };
    if (await faults.apply('devicecode', params.tenant, req, res)) return log({ ...entry, status: res.statusCode, outcome: 'fault' });
    try {
      const { tenant } = resolveTenant(state, params.tenant!);
      if (!clientId) throw new EntraError(AADSTS.missingParameter, "Missing 'client_id'.");
      const app = state.dir.findApp(tenant, clientId);
      if (!app && (!tenant.acceptUnknownPublicClients || state.strict)) throw new EntraError(AADSTS.appNotFound);
      const claims = parseClaims(form.get('claims'));
      const verificationUri = `${state.origin}/devicelogin`;
      const created = state.deviceCodes.create(
        {
          tenantId: params.tenant!.toLowerCase(),
          clientId,
          scope: form.get('scope') ?? '',
          claims: claims.raw || undefined,
          clientCapabilities: claims.clientCapabilities,
          intervalSeconds: state.deviceCodeInterval,
          expiresInSeconds: state.deviceCodeExpiresIn,
        },
        (code) => `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${code} to authenticate.`,
      );
      sendJson(res, 200, {
        user_code: created.userCode,
        device_code: created.deviceCode,
        verification_uri: verificationUri,
        expires_in: state.deviceCodeExpiresIn,
        interval: state.deviceCodeInterval,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${created.userCode} to authenticate.`,
      });
      log({ ...entry, status: 200, outcome: 'ok' });
    } catch (error) {
      const spec = error instanceof EntraError ? error.spec : AADSTS.serverError;
      sendJson(res, spec.status, entraErrorBody(spec, req.headers['client-request-id'] as string | undefined, { detail: error instanceof EntraError ? error.detail : undefined }));
      log({ ...entry, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}${describe(error)}` });
    }
  });

  // --- token -----------------------------------------------------------------------------------
  router.add('POST', new RegExp(`^/${TENANT}/oauth2/(?<v2>v2\\.0/)?token$`), async ({ req, res, params, url }) => {
    selfLogged.add(res);
    const form = await readForm(req);
    const grantType = form.get('grant_type') ?? '';
    const entry = { method: 'POST', path: url.pathname, tenant: params.tenant, grantType, clientId: (form.get('client_id') ?? '').toLowerCase() || undefined };
    if (await faults.apply('token', params.tenant, req, res)) return log({ ...entry, status: res.statusCode, outcome: 'fault' });
    const correlation = req.headers['client-request-id'] as string | undefined;
    try {
      const tenant = resolveTenant(state, params.tenant!);
      const handler = grants.get(grantType);
      if (!handler) throw new EntraError(AADSTS.unsupportedGrant, `Grant '${grantType}' is not supported.`);
      const version = params.v2 ? '2.0' : '1.0';
      const v = params.v2 ? 'v2.0/' : '';
      const tokenEndpoints = [`${state.origin}/${params.tenant}/oauth2/${v}token`, `${state.origin}/${tenant.tenant.id}/oauth2/${v}token`];
      const body = await handler({ state, params: form, query: url.searchParams, headers: req.headers, tenant, tokenEndpoints, version });
      bump(state, grantType);
      sendJson(res, 200, body);
      log({ ...entry, status: 200, outcome: 'ok' });
    } catch (error) {
      const e = error instanceof EntraError ? error : undefined;
      const spec = e?.spec ?? AADSTS.serverError;
      sendJson(res, spec.status, entraErrorBody(spec, correlation, { detail: e?.detail, claims: e?.claims }));
      log({ ...entry, status: spec.status, outcome: `${spec.error} AADSTS${spec.code}${describe(error)}` });
    }
  });
}
