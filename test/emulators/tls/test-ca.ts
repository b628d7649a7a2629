/**
 * A certificate authority made at run time for the emulators, plus leaf and client certificates.
 * RSA keys come from node:crypto (native, fast); node-forge only builds and signs the X.509
 * structures (forge's own RSA key generation takes seconds and is never used here).
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

export interface TestCa {
  caPem: string;
  /** The CA certificate written to a temp file (for NODE_EXTRA_CA_CERTS, kubectl, curl). */
  caFile: string;
  /** A server leaf for the given hosts (DNS names and IP literals); default 127.0.0.1, localhost, ::1. */
  issue(hosts?: string[]): IssuedCertificate;
  /** Removes the temp dir holding caFile. */
  dispose(): void;
}

export const DEFAULT_HOSTS = ['127.0.0.1', 'localhost', '::1'];

interface KeyPair {
  keyPem: string;
  forgePublic: forge.pki.PublicKey;
  forgePrivate: forge.pki.rsa.PrivateKey;
}

function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    keyPem,
    forgePrivate: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey,
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function serial(): string {
  // Positive 16-byte serial (leading nibble < 8 keeps the DER INTEGER positive).
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

export interface TestCaOptions {
  commonName?: string;
  /**
   * Keep the CA in this directory (ca.pem + ca-key.pem, 0600) and reuse it on the next run, so
   * a trust setting (caFile, a kubeconfig's certificate-authority-data) survives restarts.
   * dispose() leaves a persisted CA in place.
   */
  persistDir?: string;
}

function loadOrCreateCa(commonName: string, persistDir: string | undefined): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; caPem: string } {
  const certFile = persistDir ? path.join(persistDir, 'ca.pem') : undefined;
  const keyFile = persistDir ? path.join(persistDir, 'ca-key.pem') : undefined;
  if (certFile && keyFile && fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const caPem = fs.readFileSync(certFile, 'utf8');
    const cert = forge.pki.certificateFromPem(caPem);
    if (cert.validity.notAfter.getTime() > Date.now() + 24 * 60 * 60 * 1000) {
      return { cert, key: forge.pki.privateKeyFromPem(fs.readFileSync(keyFile, 'utf8')) as forge.pki.rsa.PrivateKey, caPem };
    }
  }
  const caKeys = newKeyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.forgePublic;
  ca.serialNumber = serial();
  validity(ca, 30);
  const caSubject = [{ name: 'commonName', value: `${commonName} ${crypto.randomBytes(4).toString('hex')}` }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.forgePrivate, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(ca);
  if (persistDir && certFile && keyFile) {
    fs.mkdirSync(persistDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, caKeys.keyPem, { mode: 0o600 });
    fs.writeFileSync(certFile, caPem);
  }
  return { cert: ca, key: caKeys.forgePrivate, caPem };
}

export function createTestCa(options: string | TestCaOptions = {}): TestCa {
  const opts = typeof options === 'string' ? { commonName: options } : options;
  const { cert: ca, key: caKey, caPem } = loadOrCreateCa(opts.commonName ?? 'KubeTray Test CA', opts.persistDir);
  const dir = opts.persistDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-ca-'));
  const caFile = path.join(dir, 'ca.pem');
  if (!opts.persistDir) fs.writeFileSync(caFile, caPem);

  const issueLeaf = (hosts: string[], extKeyUsage: Record<string, boolean>): IssuedCertificate => {
    const keys = newKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.forgePublic;
    cert.serialNumber = serial();
    validity(cert, 7);
    cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
    cert.setIssuer(ca.subject.attributes);
    const altNames = hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h }));
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', ...extKeyUsage },
      ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
  };

  return {
    caPem,
    caFile,
    issue: (hosts = DEFAULT_HOSTS) => issueLeaf(hosts, { serverAuth: true }),
    dispose: () => {
      if (!opts.persistDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ClientCertificate extends IssuedCertificate {
  /** SHA-1 of the DER certificate, upper-case hex (Entra's "thumbprint"; x5t). */
  thumbprintSha1: string;
  /** SHA-256 of the DER certificate, upper-case hex (x5t#S256). */
  thumbprintSha256: string;
  /** certPem followed by keyPem, the layout kubelogin accepts for --client-certificate. */
  combinedPem: string;
  /** PKCS#12 made by node-forge (AES-256 shrouded key bag, forge's SHA-1 MAC), protected by `password`. */
  pfx: Buffer;
  password: string;
}

/**
 * A self-signed client certificate for a service principal (Entra stores only the public cert
 * and checks the assertion's x5t / x5t#S256 against it).
 */
export function createClientCertificate(options: { commonName?: string; password?: string } = {}): ClientCertificate {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serial();
  validity(cert, 30);
  const subject = [{ name: 'commonName', value: options.commonName ?? 'kubetray-test-spn' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(keys.forgePrivate, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const password = options.password ?? crypto.randomBytes(9).toString('base64url');
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.forgePrivate, [cert], password, {
    algorithm: 'aes256',
    friendlyName: options.commonName ?? 'kubetray-test-spn',
  });
  const pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  return {
    certPem,
    keyPem: keys.keyPem,
    ...certificateThumbprints(certPem),
    combinedPem: `${certPem}${keys.keyPem}`,
    pfx,
    password,
  };
}

export function certificateThumbprints(certPem: string): { thumbprintSha1: string; thumbprintSha256: string } {
  const x509 = new crypto.X509Certificate(certPem);
  return {
    thumbprintSha1: x509.fingerprint.replace(/:/g, '').toUpperCase(),
    thumbprintSha256: x509.fingerprint256.replace(/:/g, '').toUpperCase(),
  };
}

/**
 * The same certificate and key exported by the `openssl pkcs12 -export` CLI with OpenSSL 3's
 * defaults (AES-256-CBC + PBKDF2 for the key, SHA-256 MAC) — the kind of .pfx people make by
 * hand. Returns null when no openssl binary is on PATH. The password goes through the
 * environment, not argv, so it never shows in a process list.
 */
export function exportPfxWithOpenssl(cert: IssuedCertificate, password: string): Buffer | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-pfx-'));
  try {
    fs.writeFileSync(path.join(dir, 'cert.pem'), cert.certPem);
    fs.writeFileSync(path.join(dir, 'key.pem'), cert.keyPem, { mode: 0o600 });
    const out = path.join(dir, 'out.pfx');
    const run = spawnSync(
      'openssl',
      ['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', out, '-passout', 'env:KUBETRAY_PFX_PASSWORD'],
      { cwd: dir, env: { ...process.env, KUBETRAY_PFX_PASSWORD: password }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (run.error || run.status !== 0) return null;
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
