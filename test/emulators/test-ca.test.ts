/**
 * The run-time CA: server leaves verify for 127.0.0.1/localhost/::1 and not for other names;
 * client certificates come with matching thumbprints and PKCS#12 files that OpenSSL 3 (through
 * node:tls) and node-forge can both open, including one made by the openssl CLI.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import forge from 'node-forge';
import { createClientCertificate, createTestCa, exportPfxWithOpenssl, type TestCa } from './tls/test-ca.js';

function fetchStatus(url: string, ca: string, servername?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, servername, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('test CA', () => {
  let ca: TestCa;
  let server: https.Server;
  let port: number;

  before(async () => {
    ca = createTestCa();
    const leaf = ca.issue();
    server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const file = ca.caFile;
    ca.dispose();
    assert.equal(fs.existsSync(file), false);
  });

  it('writes the CA PEM to caFile and issues leaves that verify for 127.0.0.1 and localhost', async () => {
    assert.equal(fs.readFileSync(ca.caFile, 'utf8'), ca.caPem);
    assert.equal(new crypto.X509Certificate(ca.caPem).ca, true);
    assert.equal(await fetchStatus(`https://127.0.0.1:${port}/`, ca.caPem), 200);
    assert.equal(await fetchStatus(`https://localhost:${port}/`, ca.caPem, 'localhost'), 200);
    const leaf = new crypto.X509Certificate(ca.issue().certPem);
    assert.match(leaf.subjectAltName ?? '', /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
    assert.ok(leaf.checkIssued(new crypto.X509Certificate(ca.caPem)));
  });

  it('does not verify for another host name or without the CA', async () => {
    await assert.rejects(fetchStatus(`https://127.0.0.1:${port}/`, ca.caPem, 'login.microsoftonline.com'), /altnames|Hostname/i);
    await assert.rejects(fetchStatus(`https://127.0.0.1:${port}/`, createTestCa().caPem), /self[- ]signed|unable to verify|certificate/i);
  });

  it('client certificates: thumbprints, PKCS#8 key, forge PFX readable by OpenSSL and forge', () => {
    const cert = createClientCertificate({ commonName: 'spn-test', password: 'pfx-pass' });
    const x509 = new crypto.X509Certificate(cert.certPem);
    assert.equal(cert.thumbprintSha1, x509.fingerprint.replace(/:/g, ''));
    assert.equal(cert.thumbprintSha256.length, 64);
    assert.match(cert.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.ok(x509.checkPrivateKey(crypto.createPrivateKey(cert.keyPem)));
    assert.equal(cert.combinedPem, cert.certPem + cert.keyPem);
    // node:tls (OpenSSL 3) opens the forge-made PFX.
    assert.doesNotThrow(() => tls.createSecureContext({ pfx: cert.pfx, passphrase: 'pfx-pass' }));
    assert.throws(() => tls.createSecureContext({ pfx: cert.pfx, passphrase: 'wrong' }));
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(cert.pfx.toString('binary')), 'pfx-pass');
    const bags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!;
    assert.equal(forge.pki.certificateToPem(bags[0]!.cert!).replace(/\r/g, ''), cert.certPem.replace(/\r/g, ''));
  });

  it('openssl pkcs12 -export with OpenSSL 3 defaults (AES-256-CBC, PBKDF2) opens in node:tls and node-forge', { skip: !hasOpenssl && 'no openssl binary on PATH' }, () => {
    const cert = createClientCertificate({ commonName: 'spn-openssl' });
    const pfx = exportPfxWithOpenssl(cert, 'openssl-pass');
    assert.ok(pfx);
    const info = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-passin', 'env:P'], { input: pfx, env: { ...process.env, P: 'openssl-pass' } });
    assert.match(info.stderr.toString(), /PBES2, PBKDF2, AES-256-CBC/);
    assert.doesNotThrow(() => tls.createSecureContext({ pfx, passphrase: 'openssl-pass' }));
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), 'openssl-pass');
    const keyBags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]!;
    assert.ok(keyBags[0]?.key, 'forge decrypts the AES-256 key bag');
  });

  it('a persisted CA is reused from its directory and survives dispose()', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-ca-persist-'));
    try {
      const first = createTestCa({ persistDir: dir });
      first.dispose();
      const second = createTestCa({ persistDir: dir });
      assert.equal(second.caPem, first.caPem);
      assert.equal(second.caFile, first.caFile);
      assert.equal(fs.statSync(path.join(dir, 'ca-key.pem')).mode & 0o777, 0o600);
      const leaf = new crypto.X509Certificate(second.issue().certPem);
      assert.ok(leaf.checkIssued(new crypto.X509Certificate(first.caPem)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
