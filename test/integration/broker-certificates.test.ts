/**
 * Client certificate loading for --login spn on real files: PEM (plain, PKCS#1, encrypted
 * PKCS#8), PKCS#12 from node-forge and from the openssl CLI (OpenSSL 3 defaults), password-less,
 * wrong password, no key, a key that does not match.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createClientCertificate, exportPfxWithOpenssl } from '../emulators/tls/test-ca.js';
import { loadClientCertificate } from '../../shared/auth/client-certificate.js';
import { makeTempDir } from '../support/broker-harness.js';

describe('client certificates', () => {
  const dir = makeTempDir('kubetray-certs-');
  const cert = createClientCertificate({ commonName: 'certs-test', password: 'forge-pass' });
  const write = (name: string, data: string | Buffer): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data, { mode: 0o600 });
    return file;
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expectSame = (loaded: ReturnType<typeof loadClientCertificate>) => {
    assert.equal(loaded.thumbprintSha1, cert.thumbprintSha1);
    assert.equal(loaded.thumbprintSha256, cert.thumbprintSha256);
    assert.match(loaded.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(loaded.x5c, /^-----BEGIN CERTIFICATE-----/);
    // The key really is the certificate's key.
    const sig = crypto.sign('sha256', Buffer.from('x'), loaded.privateKeyPem);
    assert.ok(crypto.verify('sha256', Buffer.from('x'), new crypto.X509Certificate(cert.certPem).publicKey, sig));
  };

  it('PEM: certificate + PKCS#8 key, in either order, and PKCS#1', () => {
    expectSame(loadClientCertificate(write('a.pem', cert.combinedPem)));
    expectSame(loadClientCertificate(write('b.pem', `Bag Attributes\n${cert.keyPem}${cert.certPem}`)));
    const pkcs1 = crypto.createPrivateKey(cert.keyPem).export({ format: 'pem', type: 'pkcs1' }).toString();
    expectSame(loadClientCertificate(write('c.pem', cert.certPem + pkcs1)));
  });

  it('PEM: encrypted PKCS#8 needs the right password', () => {
    const enc = crypto.createPrivateKey(cert.keyPem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pem-pass' }).toString();
    const file = write('enc.pem', cert.certPem + enc);
    expectSame(loadClientCertificate(file, 'pem-pass'));
    assert.throws(() => loadClientCertificate(file, 'nope'), /password is wrong/);
    assert.throws(() => loadClientCertificate(file), /protected by a password/);
  });

  it('PKCS#12 from node-forge (AES-256), with and without the right password', () => {
    const file = write('forge.pfx', cert.pfx);
    expectSame(loadClientCertificate(file, 'forge-pass'));
    assert.throws(() => loadClientCertificate(file, 'nope'), (e: unknown) => (e as { code?: string }).code === 'cli/invalid-flag' && /password is wrong/.test((e as Error).message));
    assert.throws(() => loadClientCertificate(file), /protected by a password/);
  });

  it('PKCS#12 from OpenSSL 3 (AES-256-CBC + PBKDF2) and password-less', (t) => {
    const aes = exportPfxWithOpenssl(cert, 'openssl-pass');
    const none = exportPfxWithOpenssl(cert, '');
    if (!aes || !none) {
      t.skip('no openssl binary on PATH');
      return;
    }
    expectSame(loadClientCertificate(write('ossl.pfx', aes), 'openssl-pass'));
    expectSame(loadClientCertificate(write('none.p12', none)));
    assert.throws(() => loadClientCertificate(path.join(dir, 'ossl.pfx'), 'wrong'), /password is wrong/);
  });

  it('files without a key, with a foreign key, or unreadable say what to do', () => {
    assert.throws(() => loadClientCertificate(write('nokey.pem', cert.certPem)), /no private key/);
    const other = createClientCertificate({ commonName: 'other' });
    assert.throws(() => loadClientCertificate(write('mismatch.pem', cert.certPem + other.keyPem)), /no certificate matches the private key/);
    assert.throws(() => loadClientCertificate(path.join(dir, 'missing.pem')), /Cannot read the client certificate/);
    assert.throws(() => loadClientCertificate(write('junk.pfx', Buffer.from([0x30, 0x03, 0x01, 0x02]))), { code: 'cli/invalid-flag' });
  });
});
