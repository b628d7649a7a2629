/**
 * "Convert this context to KubeTray" from the window, on a real kubeconfig file: KUBECONFIG's
 * converter rewrites the kubelogin user, the watcher re-reads the file, and the row updates.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_TENANT_ID } from '../emulators/entra/entra-directory.js';
import { AKS_CLIENT_ID, AKS_SERVER_ID } from '../support/desktop-fixtures.js';
import { launchChromium, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';
import { row } from '../support/desktop-pages.js';

let entra: EntraEmulator;
let browser: Browser;
let harness: DesktopHarness;
let page: Page;
let dir: string;
let kubeconfig: string;
let broken: string;
let files: string[];

function writeKubeconfig(file: string): void {
  const user = (name: string, command: string) => [
    `- name: ${name}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    `      command: ${command}`,
    '      args: [get-token, --login, devicecode, --server-id, ' + AKS_SERVER_ID + ', --client-id, ' + AKS_CLIENT_ID + ', --tenant-id, ' + DEMO_TENANT_ID + ', --environment, AzurePublicCloud]',
  ];
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: aks-old',
      'clusters:',
      '- name: aks-old',
      '  cluster: {server: "https://aks-old-dns.hcp.westeurope.azmk8s.io:443"}',
      '- name: aks-new',
      '  cluster: {server: "https://aks-new-dns.hcp.westeurope.azmk8s.io:443"}',
      'contexts:',
      '- name: aks-old',
      '  context: {cluster: aks-old, user: clusterUser_old}',
      '- name: aks-new',
      '  context: {cluster: aks-new, user: clusterUser_new}',
      'users:',
      ...user('clusterUser_old', 'kubelogin'),
      ...user('clusterUser_new', 'kubetray'),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-convert-'));
  kubeconfig = path.join(dir, 'config');
  writeKubeconfig(kubeconfig);
  // A second file in the list that does not parse: the window names it, the rest still loads.
  broken = path.join(dir, 'broken');
  fs.writeFileSync(broken, 'apiVersion: v1\nclusters: [unclosed\n');
  entra = await startEntraEmulator();
  browser = await launchChromium();
  files = [kubeconfig];
  harness = await startDesktopHarness({ browser, entra, kubeconfigFiles: files });
  ({ page } = await harness.openWindow());
});

after(async () => {
  await harness?.close();
  await browser?.close();
  await entra?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a kubelogin context converts from its row and the row follows the file', async () => {
  const old = row(page, 'aks-old');
  assert.match(await old.innerText(), /devicecode \(kubelogin\)/);
  assert.equal(await row(page, 'aks-new').getByRole('button', { name: /Convert/ }).count(), 0);
  await old.getByRole('button', { name: 'Convert to KubeTray: aks-old' }).click();
  await page.locator('#status', { hasText: 'aks-old' }).waitFor();
  // The watcher (or the converter's refresh) re-reads the file: the row now runs kubetray.
  await page.locator('tr[data-id="aks-old"]:not(:has(button[data-action="convert"]))').waitFor();
  const text = fs.readFileSync(kubeconfig, 'utf8');
  assert.doesNotMatch(text, /command: kubelogin/);
  assert.equal((text.match(/command: kubetray/g) ?? []).length, 2);
  assert.match(text, /--login[\s\S]*devicecode/, 'the login method is kept');
  assert.ok(fs.readdirSync(dir).some((f) => f.endsWith('.kubetray-backup')), 'a backup of the old file is kept');
  await harness.screenshot(page, 'window-converted');
});

test('an edit to the kubeconfig by another program shows up in the window', async () => {
  const text = fs.readFileSync(kubeconfig, 'utf8').replace('current-context: aks-old', 'current-context: aks-new');
  fs.writeFileSync(kubeconfig, text);
  await page.locator('tr[data-id="aks-new"]:has(.badge.current)').waitFor();
  assert.equal(await row(page, 'aks-old').locator('.badge.current').count(), 0);
});

test('a kubeconfig file that does not parse is named above the table; the others still load', async () => {
  // The window reads the files of its list (Settings or $KUBECONFIG); add a broken one.
  files.push(broken);
  await harness.service.reloadKubeconfig();
  const alert = page.locator('#alert', { hasText: broken });
  await alert.waitFor();
  assert.match(await alert.innerText(), new RegExp(broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.locator('table.clusters tbody tr').count(), 2);
});
