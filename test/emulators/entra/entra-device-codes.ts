/**
 * Device authorization grant state (RFC 8628 as Entra implements it): codes, approval by the
 * /devicelogin page or programmatically, and an event for tests to await the next code without
 * polling loops.
 */
import * as crypto from 'node:crypto';
import { EventEmitter, once } from 'node:events';

export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  tenantId: string;
  clientId: string;
  scope: string;
  claims?: string;
  clientCapabilities?: string[];
  expiresAt: number;
  intervalSeconds: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  /** Set on approval: who signed in, and their home tenant (the path may say organizations). */
  username?: string;
  userTenantId?: string;
  amr?: string[];
  acrs?: string[];
}

export interface DeviceCodeIssued {
  userCode: string;
  deviceCode: string;
  clientId: string;
  tenantId: string;
  scope: string;
  message: string;
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function userCode(): string {
  const bytes = crypto.randomBytes(9);
  return [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
}

export class DeviceCodeStore {
  private readonly byDevice = new Map<string, DeviceCodeEntry>();
  private readonly byUser = new Map<string, DeviceCodeEntry>();
  private readonly events = new EventEmitter();
  /** Minimum seconds between polls before `slow_down`; 0 disables it (default: tests poll at `interval`). */
  enforceInterval = false;

  create(input: Omit<DeviceCodeEntry, 'deviceCode' | 'userCode' | 'state' | 'expiresAt'> & { expiresInSeconds: number }, message: (code: string) => string): DeviceCodeEntry {
    const { expiresInSeconds, ...rest } = input;
    const entry: DeviceCodeEntry = {
      ...rest,
      deviceCode: `DAQABIQEAAAD${crypto.randomBytes(96).toString('base64url')}`,
      userCode: userCode(),
      state: 'pending',
      expiresAt: Date.now() + expiresInSeconds * 1000,
    };
    this.byDevice.set(entry.deviceCode, entry);
    this.byUser.set(entry.userCode, entry);
    const issued: DeviceCodeIssued = {
      userCode: entry.userCode,
      deviceCode: entry.deviceCode,
      clientId: entry.clientId,
      tenantId: entry.tenantId,
      scope: entry.scope,
      message: message(entry.userCode),
    };
    this.events.emit('issued', issued);
    return entry;
  }

  byDeviceCode(code: string): DeviceCodeEntry | undefined {
    return this.byDevice.get(code);
  }

  byUserCode(code: string): DeviceCodeEntry | undefined {
    return this.byUser.get(code.trim().toUpperCase().replace(/[\s-]/g, ''));
  }

  approve(entry: DeviceCodeEntry, username: string, userTenantId: string, amr: string[], acrs: string[]): void {
    entry.state = 'approved';
    entry.username = username;
    entry.userTenantId = userTenantId;
    entry.amr = amr;
    entry.acrs = acrs;
    this.events.emit('approved', entry.userCode);
  }

  decline(entry: DeviceCodeEntry): void {
    entry.state = 'declined';
  }

  /** Resolves with the next device code the emulator issues (optionally for a client id). */
  async nextDeviceCode(filter: { clientId?: string; signal?: AbortSignal } = {}): Promise<DeviceCodeIssued> {
    for (;;) {
      const [issued] = (await once(this.events, 'issued', { signal: filter.signal })) as [DeviceCodeIssued];
      if (!filter.clientId || issued.clientId === filter.clientId) return issued;
    }
  }

  /** Register a listener for every issued device code; returns an unsubscribe function. */
  onDeviceCode(listener: (issued: DeviceCodeIssued) => void): () => void {
    this.events.on('issued', listener);
    return () => this.events.off('issued', listener);
  }
}
