import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySettingsPatch, defaultSettings, memorySettings, migrateSettings } from './settings-model.js';

test('defaults: start at login and notifications on, interactive sign-in, disk cache', () => {
  assert.deepEqual(defaultSettings(), { defaultLogin: 'interactive', kubeconfigPaths: [], startAtLogin: true, notifications: true, memoryOnlyCache: false, signInHosts: [] });
});

test('v1 settings migrate; broken values fall back to defaults one by one', () => {
  assert.deepEqual(migrateSettings({ kubeconfig: '/home/a/.kube/work', autostart: false }), { ...defaultSettings(), kubeconfigPaths: ['/home/a/.kube/work'], startAtLogin: false });
  assert.deepEqual(migrateSettings({ settingsVersion: 2, defaultLogin: 'ropc', notifications: 'yes', memoryOnlyCache: true }), { ...defaultSettings(), memoryOnlyCache: true });
  assert.deepEqual(migrateSettings(null), defaultSettings());
  assert.deepEqual(migrateSettings('garbage'), defaultSettings());
});

test('patches change only the fields given and never leave the contract', async () => {
  const next = applySettingsPatch(defaultSettings(), { notifications: false, kubeconfigPaths: ['/a', '/b'] });
  assert.deepEqual(next, { ...defaultSettings(), notifications: false, kubeconfigPaths: ['/a', '/b'] });
  const store = memorySettings();
  await store.update({ startAtLogin: false });
  assert.equal(store.get().startAtLogin, false);
  assert.equal(store.get().notifications, true);
});

test('extra sign-in hosts must be bare host names', async () => {
  const store = memorySettings();
  assert.deepEqual((await store.update({ signInHosts: ['adfs.contoso.com', 'idp.example:8443'] })).signInHosts, ['adfs.contoso.com', 'idp.example:8443']);
  assert.deepEqual(migrateSettings({ settingsVersion: 2, signInHosts: ['https://evil.example/'] }).signInHosts, [], 'a URL is not a host');
});
