import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../shared/core/app-error.js';
import { resolveAuthority, resolveCloud, validateAuthorityHost } from '../../shared/auth/clouds.js';

test('--environment: every kubelogin / go-autorest spelling, any case', () => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'https://login.microsoftonline.com/'],
    ['', 'https://login.microsoftonline.com/'],
    ['AzurePublicCloud', 'https://login.microsoftonline.com/'],
    ['azurepubliccloud', 'https://login.microsoftonline.com/'],
    ['AZURECLOUD', 'https://login.microsoftonline.com/'],
    ['AzureCloud', 'https://login.microsoftonline.com/'],
    ['AzurePublic', 'https://login.microsoftonline.com/'],
    ['AzureUSGovernmentCloud', 'https://login.microsoftonline.us/'],
    ['AzureUSGovernment', 'https://login.microsoftonline.us/'],
    ['azureusgovernment', 'https://login.microsoftonline.us/'],
    ['AzureChinaCloud', 'https://login.chinacloudapi.cn/'],
    ['AZURECHINACLOUD', 'https://login.chinacloudapi.cn/'],
    [' AzureChinaCloud ', 'https://login.chinacloudapi.cn/'],
  ];
  for (const [name, host] of table) assert.equal(resolveCloud(name).authorityHost, host, String(name));
  assert.equal(resolveCloud('AzureUSGovernment').resourceManager, 'https://management.usgovcloudapi.net/');
  assert.equal(resolveCloud('AzureChinaCloud').resourceManager, 'https://management.chinacloudapi.cn/');
});

test('--environment: an unknown name is a clear error, not a silent public-cloud fallback', () => {
  for (const bad of ['AzureUSGov', 'AzurePublicCloudX', 'public']) {
    assert.throws(() => resolveCloud(bad), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'config/invalid');
      assert.match(e.message, /AzureUSGovernmentCloud/);
      assert.match(e.message, /--authority-host/);
      return true;
    });
  }
  assert.throws(() => resolveCloud('AzureGermanCloud'), /closed/);
});

test('--authority-host: absolute https URL with a trailing slash (kubelogin table + https)', () => {
  const table: Array<[string, boolean, RegExp?]> = [
    ['https://login.example.com/', true],
    ['https://127.0.0.1:8443/', true],
    ['https://login.example.com/custom/', true],
    ['https://login.example.com', false, /trailing slash/],
    ['login.example.com/', false, /not valid/],
    ['https://login example.com/', false, /not valid/],
    ['http://login.example.com/', false, /https/],
    ['', false, /not valid/],
  ];
  for (const [value, valid, message] of table) {
    if (valid) assert.equal(validateAuthorityHost(value), value);
    else assert.throws(() => validateAuthorityHost(value), (e: unknown) => e instanceof AppError && e.code === 'cli/invalid-flag' && message!.test(e.message), value);
  }
});

test('resolveAuthority: authority host beats environment, discovery rules, tenant', () => {
  const pub = resolveAuthority({ tenantId: 'contoso.onmicrosoft.com' });
  assert.equal(pub.authority, 'https://login.microsoftonline.com/contoso.onmicrosoft.com');
  assert.deepEqual(pub.knownAuthorities, []);
  assert.equal(pub.instanceDiscovery, true);

  const gov = resolveAuthority({ environment: 'AzureUSGovernment', tenantId: 't1', disableInstanceDiscovery: true });
  assert.equal(gov.authority, 'https://login.microsoftonline.us/t1');
  assert.deepEqual(gov.knownAuthorities, ['login.microsoftonline.us']);
  assert.equal(gov.instanceDiscovery, false);

  // A custom host wins over --environment (even an odd one) and is never discovered.
  const custom = resolveAuthority({ environment: 'AzureStackCloud', authorityHost: 'https://127.0.0.1:9443/', tenantId: 't2' });
  assert.equal(custom.authority, 'https://127.0.0.1:9443/t2');
  assert.deepEqual(custom.knownAuthorities, ['127.0.0.1:9443']);
  assert.equal(custom.cloud, undefined);

  assert.equal(resolveAuthority({}).authority, 'https://login.microsoftonline.com/organizations');
  assert.throws(() => resolveAuthority({ tenantId: '../evil' }), /tenant id/);
});
