/**
 * The broker's msal-node network client over a real local HTTPS server with a run-time CA:
 * trust through an option and KUBETRAY_CA_FILE, 4xx resolved (not rejected), timeouts and
 * aborts as AppErrors with hints, https only, and no bodies in the log.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestCa, type TestCa } from '../emulators/tls/test-ca.js';
import { createLogger, type LogRecord } from '../../shared/core/log.js';
import { createNetworkClient } from '../../shared/auth/network-client.js';

describe('network client', () => {
  let ca: TestCa;
  let server: https.Server;
  let origin = '';
  const hanging = new Set<import('node:http').ServerResponse>();

  before(async () => {
    ca = createTestCa('KubeTray network test CA');
    const leaf = ca.issue();
    server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (req.url === '/pending') {
          res.writeHead(400, { 'content-type': 'application/json', 'X-Ms-Request-Id': 'abc' });
          res.end(JSON.stringify({ error: 'authorization_pending', echoed: body }));
        } else if (req.url === '/html') {
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end('<html>bad gateway</html>');
        } else if (req.url === '/hang') {
          hanging.add(res); // never answers
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, method: req.method }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    ca.dispose();
  });

  it('trusts an extra CA given as an option, and resolves 4xx with the parsed body', async () => {
    const records: LogRecord[] = [];
    const client = createNetworkClient({ caPem: [ca.caPem], env: {}, log: createLogger((r) => records.push(r), { level: 'debug' }) });
    try {
      const ok = await client.sendGetRequestAsync<{ ok: boolean }>(`${origin}/`);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.ok, true);
      const pending = await client.sendPostRequestAsync<{ error: string }>(`${origin}/pending`, { body: 'device_code=SECRET-DEVICE-CODE&client_secret=hunter2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(pending.status, 400);
      assert.equal(pending.body.error, 'authorization_pending');
      assert.equal(pending.headers['x-ms-request-id'], 'abc', 'header names are lower-case');
      const log = JSON.stringify(records);
      assert.match(log, /"status":400/);
      assert.ok(!log.includes('SECRET-DEVICE-CODE') && !log.includes('hunter2'), 'no bodies in the log');
    } finally {
      client.close();
    }
  });

  it('trusts KUBETRAY_CA_FILE; without it the error says how to trust the CA', async () => {
    const trusted = createNetworkClient({ env: { KUBETRAY_CA_FILE: ca.caFile } });
    const untrusted = createNetworkClient({ env: {} });
    try {
      assert.equal((await trusted.sendGetRequestAsync(`${origin}/`)).status, 200);
      await assert.rejects(untrusted.sendGetRequestAsync(`${origin}/`), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'auth/network');
        assert.match((e as Error).message, /KUBETRAY_CA_FILE/);
        return true;
      });
      assert.throws(() => createNetworkClient({ env: { KUBETRAY_CA_FILE: '/nonexistent/ca.pem' } }), { code: 'config/invalid' });
    } finally {
      trusted.close();
      untrusted.close();
    }
  });

  it('a non-JSON error page becomes an error body MSAL can report', async () => {
    const client = createNetworkClient({ caPem: [ca.caPem], env: {} });
    try {
      const r = await client.sendGetRequestAsync<{ error: string; error_description: string }>(`${origin}/html`);
      assert.equal(r.status, 502);
      assert.equal(r.body.error, 'server_error');
      assert.match(r.body.error_description, /non-JSON/);
    } finally {
      client.close();
    }
  });

  it('times out, aborts, and refuses plain http', async () => {
    const closing = new AbortController();
    const client = createNetworkClient({ caPem: [ca.caPem], env: {}, timeoutMs: 200, signal: closing.signal });
    try {
      await assert.rejects(client.sendGetRequestAsync(`${origin}/hang`), (e: unknown) => (e as { code?: string }).code === 'auth/network' && /No answer/.test((e as Error).message));
      const pending = client.sendPostRequestAsync(`${origin}/hang`, { body: '' });
      const settled = assert.rejects(pending, { code: 'auth/network' });
      closing.abort();
      await settled;
      await assert.rejects(client.sendGetRequestAsync(`${origin}/`), /shutting down/);
      const plain = createNetworkClient({ env: {} });
      await assert.rejects(plain.sendGetRequestAsync('http://127.0.0.1:1/'), /over http:/);
      plain.close();
    } finally {
      client.close();
    }
  });
});
