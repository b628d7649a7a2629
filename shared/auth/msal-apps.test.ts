import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindPartition, cacheFileName, isMicrosoftAuthority } from './msal-apps.js';
import type { FlowAuthority, MsalApps } from './flows/sign-in-flow.js';

test('Microsoft cloud hosts (and aliases) are told apart from other authorities', () => {
  assert.ok(isMicrosoftAuthority('https://login.microsoftonline.com/'));
  assert.ok(isMicrosoftAuthority('https://login.windows.net/'));
  assert.ok(isMicrosoftAuthority('https://login.microsoftonline.us/'));
  assert.ok(isMicrosoftAuthority('https://login.chinacloudapi.cn/'));
  assert.ok(!isMicrosoftAuthority('https://adfs.contoso.com/'));
  assert.ok(!isMicrosoftAuthority('https://127.0.0.1:8443/'));
  assert.ok(!isMicrosoftAuthority('https://login.microsoftonline.com.evil.example/'));
});

test('cache file names are stable, per host and client, and cannot escape the directory', () => {
  const a = cacheFileName('user', 'https://login.microsoftonline.com/', 'client-a');
  assert.equal(a, cacheFileName('user', 'HTTPS://LOGIN.MICROSOFTONLINE.COM/', 'CLIENT-A'));
  assert.notEqual(a, cacheFileName('user', 'https://login.microsoftonline.us/', 'client-a'));
  assert.notEqual(a, cacheFileName('user', 'https://login.microsoftonline.com/', 'client-b'));
  assert.match(cacheFileName('user', 'https://../../etc/', '../../passwd'), /^msal-user-[0-9a-f]{24}\.cache$/);
});

test('bindPartition routes every public client to the bound partition unless one is given', async () => {
  const seen: (string | undefined)[] = [];
  const apps = { publicClient: async (_a: FlowAuthority, _c: string, p?: string) => seen.push(p) } as unknown as MsalApps;
  const bound = bindPartition(apps, 'token-key');
  const authority: FlowAuthority = { authorityHost: 'https://x/', authority: 'https://x/t', tenant: 't', knownAuthorities: [] };
  await bound.publicClient(authority, 'c');
  await bound.publicClient(authority, 'c', 'explicit');
  assert.deepEqual(seen, ['token-key', 'explicit']);
});
