/**
 * Loads a service principal's certificate for msal-node's client assertion, like kubelogin's
 * `--client-certificate`: a PEM file (certificate + private key; PKCS#8, PKCS#1 or encrypted
 * PKCS#8 with --client-certificate-password) or a PKCS#12 file (.pfx/.p12). PKCS#12 is read with
 * node-forge: the legacy RC2/3DES files, OpenSSL 3's default AES-256-CBC + PBKDF2 (PBES2) files,
 * and password-less files. Returns the PKCS#8 key, both thumbprints (SHA-1 x5t for older
 * Entra setups, SHA-256 x5t#S256 which msal-node prefers) and the chain for x5c.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import forge from 'node-forge';
import { AppError } from '../core/app-error.js';

export interface LoadedCertificate {
  privateKeyPem: string;
  /** Upper-case hex. */
  thumbprintSha1: string;
  thumbprintSha256: string;
  /** Leaf first, PEM: msal-node sends it as x5c (subject name + issuer authentication). */
  x5c: string;
  notAfter: Date;
}

const flag = { detail: { flag: 'client-certificate' } };

function badPassword(file: string, given = true): AppError {
  const what = given ? 'the password is wrong' : 'it is protected by a password';
  return new AppError('cli/invalid-flag', `Cannot open ${file}: ${what}. Check --client-certificate-password (AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD).`, {
    detail: { flag: 'client-certificate-password' },
  });
}

function finish(file: string, key: crypto.KeyObject, certsPem: string[]): LoadedCertificate {
  if (certsPem.length === 0) throw new AppError('cli/invalid-flag', `${file} holds no certificate: include the certificate with its private key.`, flag);
  const publicDer = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  const certs = certsPem.map((pem) => new crypto.X509Certificate(pem));
  // The leaf is the certificate whose public key matches the private key.
  const leafIndex = certs.findIndex((c) => Buffer.from(c.publicKey.export({ format: 'der', type: 'spki' })).equals(Buffer.from(publicDer)));
  if (leafIndex < 0) throw new AppError('cli/invalid-flag', `In ${file} no certificate matches the private key: export the certificate together with its own key.`, flag);
  const leaf = certs[leafIndex]!;
  const ordered = [certsPem[leafIndex]!, ...certsPem.filter((_, i) => i !== leafIndex)];
  return {
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    thumbprintSha1: leaf.fingerprint.replace(/:/g, '').toUpperCase(),
    thumbprintSha256: leaf.fingerprint256.replace(/:/g, '').toUpperCase(),
    x5c: ordered.join('\n'),
    notAfter: new Date(leaf.validTo),
  };
}

export function loadPemCertificate(file: string, text: string, password?: string): LoadedCertificate {
  const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const keyBlock = /-----BEGIN (ENCRYPTED PRIVATE KEY|RSA PRIVATE KEY|EC PRIVATE KEY|PRIVATE KEY)-----[\s\S]+?-----END \1-----/.exec(text);
  if (!keyBlock) throw new AppError('cli/invalid-flag', `${file} has no private key: the PEM file must hold the certificate AND its private key.`, flag);
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: keyBlock[0], format: 'pem', ...(password ? { passphrase: password } : {}) });
  } catch (e) {
    if (keyBlock[1] === 'ENCRYPTED PRIVATE KEY' || /bad decrypt|passphrase/i.test((e as Error).message)) throw badPassword(file, Boolean(password));
    throw new AppError('cli/invalid-flag', `The private key in ${file} cannot be read: use an unencrypted or password-protected PKCS#8 key.`, { ...flag, cause: e });
  }
  return finish(file, key, certs.map((c) => `${c}\n`));
}

function forgeBags(p12: forge.pkcs12.Pkcs12Pfx): { keys: forge.pki.PrivateKey[]; certs: forge.pki.Certificate[] } {
  const keys: forge.pki.PrivateKey[] = [];
  for (const type of [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!]) {
    for (const bag of p12.getBags({ bagType: type })[type] ?? []) if (bag.key) keys.push(bag.key);
  }
  const certBag = forge.pki.oids.certBag!;
  const certs = (p12.getBags({ bagType: certBag })[certBag] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  return { keys, certs };
}

export function loadPfxCertificate(file: string, data: Buffer, password?: string): LoadedCertificate {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
  } catch (e) {
    throw new AppError('cli/invalid-flag', `${file} is neither a PEM nor a PKCS#12 (.pfx/.p12) file.`, { ...flag, cause: e });
  }
  let p12: forge.pkcs12.Pkcs12Pfx | undefined;
  // Password-less files: OpenSSL may protect with the empty password or with none at all.
  const attempts = password ? [password] : ['', undefined];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, attempt as string);
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!p12) {
    const message = (lastError as Error | undefined)?.message ?? '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message) || !password) throw badPassword(file, Boolean(password));
    throw new AppError('cli/invalid-flag', `${file} cannot be read as PKCS#12: re-export it (e.g. openssl pkcs12 -export).`, { ...flag, cause: lastError });
  }
  const { keys, certs } = forgeBags(p12);
  const forgeKey = keys[0];
  if (!forgeKey) {
    if (certs.length > 0 && !password) throw badPassword(file, false);
    throw new AppError('cli/invalid-flag', `${file} has no private key: export the certificate WITH its private key.`, flag);
  }
  const keyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forgeKey as forge.pki.rsa.PrivateKey)));
  return finish(file, crypto.createPrivateKey(keyPem), certs.map((c) => forge.pki.certificateToPem(c)));
}

/** Reads `file` (PEM or PKCS#12, by content, not by extension). */
export function loadClientCertificate(file: string, password?: string): LoadedCertificate {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    throw new AppError('cli/invalid-flag', `Cannot read the client certificate ${file}: check --client-certificate (AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE).`, { ...flag, cause: e });
  }
  // PKCS#12 is DER: it starts with a SEQUENCE tag (0x30). PEM is text (maybe after "Bag Attributes").
  return data[0] === 0x30 ? loadPfxCertificate(file, data, password) : loadPemCertificate(file, data.toString('utf8'), password);
}
