import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCommand, readCallerInfo } from './caller-info.js';

test('secret flag values in the parent command line are masked', () => {
  assert.equal(describeCommand(['kubectl', '--token=abc', 'get', 'pods']), 'kubectl --token=*** get pods');
  assert.equal(describeCommand(['kubectl', '--token', 'abc', 'get', 'pods']), 'kubectl --token *** get pods');
  assert.equal(describeCommand(['kubelogin', 'get-token', '--client-secret', 's', '--password=p']), 'kubelogin get-token --client-secret *** --password=***');
  assert.equal(describeCommand(['kubectl', 'get', 'secrets']), 'kubectl get secrets');
});

test('long command lines are truncated', () => {
  assert.ok(describeCommand(['x'.repeat(2000)]).length <= 513);
});

test('caller info names this process and its parent', () => {
  const info = readCallerInfo();
  assert.equal(info.pid, process.pid);
  assert.equal(info.ppid, process.ppid);
  if (process.platform === 'linux') assert.ok(info.parentCommand && info.parentCommand.length > 0);
});
