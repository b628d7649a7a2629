import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trayLaunchEnv } from './tray-launcher.js';

test('the tray does not inherit one call\'s exec info or secrets', () => {
  const env = trayLaunchEnv(
    {
      PATH: '/usr/bin',
      HOME: '/home/a',
      KUBETRAY_HOME: '/k',
      KUBETRAY_CA_FILE: '/ca.pem',
      DISPLAY: ':0',
      KUBERNETES_EXEC_INFO: '{}',
      AAD_SERVICE_PRINCIPAL_CLIENT_SECRET: 's',
      AZURE_CLIENT_SECRET: 's',
      AZURE_PASSWORD: 'p',
      ARM_CLIENT_SECRET: 's',
      SYSTEM_ACCESSTOKEN: 't',
      GITHUB_TOKEN: 't',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      MY_DB_PASSWORD: 'p',
    },
    { ELECTRON_ENABLE_LOGGING: '1' },
  );
  assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/a', KUBETRAY_HOME: '/k', KUBETRAY_CA_FILE: '/ca.pem', DISPLAY: ':0', ELECTRON_ENABLE_LOGGING: '1' });
});
