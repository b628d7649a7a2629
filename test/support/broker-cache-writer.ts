/**
 * Child process for the cross-process cache test: a second KubeTray process (think: the tray and
 * a headless `kubetray get-token`) that uses the same cache directory and writes to it.
 * argv[2]: JSON {cacheDir, caPem, authorityHost, tenantId, clientId, serverIds}.
 * Prints one JSON line {ok, sources} and exits.
 */
import * as path from 'node:path';
import { createTokenBroker } from '../../shared/broker/token-broker.js';
import { createKeyFileSecretBox } from '../../shared/cache/file-secret-box.js';

interface WriterInput {
  cacheDir: string;
  caPem: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  serverIds: string[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as WriterInput;
  const broker = createTokenBroker({
    cacheDir: input.cacheDir,
    secretBox: createKeyFileSecretBox(path.join(input.cacheDir, 'cache.key')),
    signInWindow: { open: async () => Promise.reject(new Error('no window in the writer')) },
    caPem: input.caPem,
    env: {},
  });
  try {
    const results = await Promise.all(
      input.serverIds.map((serverId) =>
        broker.getToken(
          { login: 'devicecode', serverId, clientId: input.clientId, tenantId: input.tenantId, authorityHost: input.authorityHost },
          { interactive: false },
        ),
      ),
    );
    process.stdout.write(JSON.stringify({ ok: true, sources: results.map((r) => r.source) }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: (e as Error).message }) + '\n');
    process.exitCode = 1;
  } finally {
    await broker.close();
  }
}

void main();
