/**
 * `--pop-claims` parsing with Azure kubelogin's rules and messages (pkg/internal/token/options.go
 * parsePoPClaims), so a kubeconfig that kubelogin rejects is rejected here the same way:
 * - blank (or whitespace only) -> "no claims provided";
 * - split on ',' then on '='; each piece must have a '=' and a non-blank key and value after
 *   trimming spaces, else the `key=value` message;
 * - like kubelogin, the value is the text between the first and the second '=' (an ARM resource
 *   id never contains '='); a repeated key keeps the last value;
 * - `u` (the ARM resource id of the cluster) is required.
 * Pure: no node:*.
 */
import { AppError } from '../../core/app-error.js';

export type PopClaims = Readonly<Record<string, string>> & { readonly u: string };

const NOT_KEY_VALUE = 'failed to parse PoP token claims. Ensure the claims are formatted as `key=value` with no extra whitespace';

export function parsePopClaims(text: string | undefined): PopClaims {
  if ((text ?? '').trim() === '') {
    throw new AppError('cli/invalid-flag', 'failed to parse PoP token claims: no claims provided', { detail: { flag: 'pop-claims' } });
  }
  const claims: Record<string, string> = {};
  for (const claim of (text as string).split(',')) {
    const pair = claim.split('=');
    if (pair.length < 2) throw new AppError('cli/invalid-flag', NOT_KEY_VALUE, { detail: { flag: 'pop-claims' } });
    const key = (pair[0] ?? '').trim();
    const value = (pair[1] ?? '').trim();
    if (key === '' || value === '') throw new AppError('cli/invalid-flag', NOT_KEY_VALUE, { detail: { flag: 'pop-claims' } });
    claims[key] = value;
  }
  if (!claims.u) {
    throw new AppError(
      'cli/invalid-flag',
      'required u-claim not provided for PoP token flow. Please provide the ARM ID of the cluster in the format `u=<ARM_ID>`',
      { detail: { flag: 'pop-claims' } },
    );
  }
  return claims as PopClaims;
}

/**
 * kubelogin's pairing rule for the two flags (options.go Validate): each needs the other.
 * Returns the parsed claims when PoP is on, undefined when it is off.
 */
export function resolvePopOptions(popEnabled: boolean | undefined, popClaims: string | undefined): PopClaims | undefined {
  if (popEnabled && !popClaims) {
    throw new AppError(
      'cli/invalid-flag',
      'if enabling pop token mode, please provide the pop-claims flag containing the PoP token claims as a comma-separated string: `u=popClaimHost,key1=val1`',
      { detail: { flag: 'pop-claims' } },
    );
  }
  if (popClaims && !popEnabled) {
    throw new AppError('cli/invalid-flag', 'pop-enabled flag is required to use the PoP token feature. Please provide both pop-enabled and pop-claims flags', {
      detail: { flag: 'pop-enabled' },
    });
  }
  return popEnabled ? parsePopClaims(popClaims) : undefined;
}
