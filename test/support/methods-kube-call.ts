/** Presents a token to the Kubernetes API emulator over real HTTPS, as kubectl would. */
import * as https from 'node:https';

export function kubeGet(origin: string, caPem: string, token: string, path = '/api/v1/namespaces'): Promise<{ status: number; caller: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${origin}${path}`, { method: 'GET', ca: caPem, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, caller: res.headers['x-kubetray-caller'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}
