/** A wwebjs session that logs in with a pairing code, against the fake Client: the exact options and events of the library. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, flush, SESSION_ID, type Harness } from './session-harness';

const NUMBER = '6282284316465';

let h: Harness;

afterEach(async () => {
  await h.cleanup();
});

describe('the Client a pairing-code session builds', () => {
  it('sets pairWithPhoneNumber before initialize(): the number, the phone notification and the default 3-minute interval', async () => {
    h = createHarness({}, { pairWithPhoneNumber: NUMBER });
    h.prepareClient((client) =>
      client.initialize.mockImplementation(async () => {
        expect(client.options.pairWithPhoneNumber).toBeDefined();
        client.launch();
      }),
    );
    await h.session.start();
    expect(h.client().options.pairWithPhoneNumber).toEqual({ phoneNumber: NUMBER, showNotification: true, intervalMs: 180_000 });
    expect(h.client().options.qrMaxRetries).toBe(0);
    expect(h.client().initialize).toHaveBeenCalledOnce();
  });

  it('takes the code interval from WWEBJS_PAIRING_CODE_INTERVAL_MS', async () => {
    h = createHarness({ pairingCodeIntervalMs: 5_000 }, { pairWithPhoneNumber: NUMBER });
    await h.session.start();
    expect(h.client().options.pairWithPhoneNumber).toEqual({ phoneNumber: NUMBER, showNotification: true, intervalMs: 5_000 });
  });

  it('leaves it out for a QR login, so the library shows a QR', async () => {
    h = createHarness();
    await h.session.start();
    expect(h.client().options).not.toHaveProperty('pairWithPhoneNumber');
  });
});

describe('a pairing-code session', () => {
  async function started(): Promise<Harness> {
    h = createHarness({}, { pairWithPhoneNumber: NUMBER });
    h.prepareClient((client) => {
      client.requestPairingCode = vi.fn(async () => 'ABCD1234');
    });
    await h.session.start();
    return h;
  }

  it("passes each of the library's `code` events on", async () => {
    await started();
    h.client().emit('code', 'ABCD1234');
    h.client().emit('code', 'WXYZ5678');
    expect(h.listener.onPairingCode.mock.calls).toEqual([['ABCD1234'], ['WXYZ5678']]);
    expect(h.listener.onQr).not.toHaveBeenCalled();
  });

  it("keeps the library's code request as it is while it works", async () => {
    await started();
    await expect(h.client().requestPairingCode(NUMBER, true, 180_000)).resolves.toBe('ABCD1234');
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('turns a code request the page fails (the library does not await it) into connection_lost, not an unhandled rejection', async () => {
    h = createHarness({}, { pairWithPhoneNumber: NUMBER });
    h.prepareClient((client) => {
      client.requestPairingCode = vi.fn(async () => {
        throw new Error('window.AuthStore.PairingCodeLinkUtils.startAltLinkingFlow is not a function');
      });
    });
    await h.session.start();
    await expect(h.client().requestPairingCode(NUMBER, true, 180_000)).resolves.toBe('');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('connection_lost'));
    expect(h.client().destroy).toHaveBeenCalledOnce();
  });

  it('ignores a code request cut off by the session stopping', async () => {
    h = createHarness({}, { pairWithPhoneNumber: NUMBER });
    h.prepareClient((client) => {
      client.requestPairingCode = vi.fn(async () => {
        throw new Error('Protocol error: Target closed');
      });
    });
    await h.session.start();
    await h.session.stop();
    await expect(h.client().requestPairingCode(NUMBER, true, 180_000)).resolves.toBe('');
    await flush();
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('after a logout from the phone, closes once the library shows its new pairing code (not a QR)', async () => {
    await started();
    const profile = path.join(h.dataDir, `session-${SESSION_ID}`);
    fs.mkdirSync(profile, { recursive: true });
    h.client().emit('disconnected', 'LOGOUT');
    h.client().emit('qr', '2@not-this-mode');
    await flush();
    expect(h.client().destroy).not.toHaveBeenCalled();

    h.client().emit('code', 'NEWC0DE1');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('logged_out'));
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(fs.existsSync(profile)).toBe(false);
    expect(h.listener.onPairingCode).not.toHaveBeenCalled();
  });
});
