/**
 * /devicelogin: the page a person opens from the device code message. The code leads into the
 * same sign-in and MFA pages as /authorize (always asking for the password, like Entra's device
 * flow), then approves the device code for the polling client.
 */
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { readForm, sendHtml, type Router } from '../http/http-kit.js';
import { AADSTS } from './entra-errors.js';
import { deviceLoginPage, errorPage } from './entra-pages.js';
import { parseClaims, resolveTenant, type EntraState, type ResolvedTenant } from './entra-state.js';
import { TX_TTL_MS, type Tx } from './entra-transaction.js';

export function registerDeviceLoginRoutes(router: Router, state: EntraState, start: (req: http.IncomingMessage, res: http.ServerResponse, tx: Tx) => void): void {
  router.add('GET', /^\/devicelogin$/, ({ res, url }) => sendHtml(res, 200, deviceLoginPage({ action: '/devicelogin', code: url.searchParams.get('otc') ?? undefined })));
  router.add('POST', /^\/devicelogin$/, async ({ req, res }) => {
    const form = await readForm(req);
    const entry = state.deviceCodes.byUserCode(form.get('usercode') ?? '');
    if (!entry || entry.state !== 'pending' || entry.expiresAt < Date.now()) {
      return sendHtml(res, 400, deviceLoginPage({ action: '/devicelogin', error: "That code didn't work. Check the code and try again." }));
    }
    let tenant: ResolvedTenant;
    try {
      tenant = resolveTenant(state, entry.tenantId);
    } catch {
      return sendHtml(res, 400, errorPage(AADSTS.tenantNotFound.code, AADSTS.tenantNotFound.description));
    }
    const app = state.dir.findApp(tenant.tenant, entry.clientId);
    const tx: Tx = {
      id: crypto.randomBytes(18).toString('base64url'),
      kind: 'device',
      tenant,
      clientId: entry.clientId,
      appName: app?.displayName ?? entry.clientId,
      claims: parseClaims(entry.claims),
      prompt: 'login',
      device: entry,
      amr: [],
      consented: false,
      expiresAt: Date.now() + TX_TTL_MS,
    };
    start(req, res, tx);
  });
}
