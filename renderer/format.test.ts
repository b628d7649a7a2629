import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatCountdown, matchesFilter, shortId, shortServer } from './format.js';

const now = Date.UTC(2026, 0, 1, 12);

test('countdown shows mm:ss under an hour, hours above, and expired', () => {
  assert.equal(formatCountdown(undefined, now), '—');
  assert.equal(formatCountdown(now + 59 * 60_000 + 48_000, now), '59:48');
  assert.equal(formatCountdown(now + 65 * 60_000, now), '1 h 05 min');
  assert.equal(formatCountdown(now, now), 'expired');
});

test('relative times and short identifiers', () => {
  assert.equal(formatAgo(now - 2000, now), 'just now');
  assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
  assert.equal(formatAgo(now - 3 * 3600_000, now), '3 h ago');
  assert.equal(shortServer('https://aks-prod-dns.hcp.westeurope.azmk8s.io:443'), 'aks-prod-dns.hcp.westeurope.azmk8s.io');
  assert.equal(shortServer('https://127.0.0.1:6443'), '127.0.0.1:6443');
  assert.equal(shortServer('not a url'), 'not a url');
  assert.equal(shortId('6dae42f8-4368-4678-94ff-3960e28e3630'), '6dae42f8…');
  assert.equal(shortId(undefined), '—');
});

test('filter matches any field, case-insensitively', () => {
  assert.ok(matchesFilter(['prod-weu', 'ada@contoso.com'], 'CONTOSO'));
  assert.ok(!matchesFilter(['prod-weu', undefined], 'dev'));
  assert.ok(matchesFilter(['x'], '  '));
});
