/**
 * A stand-in for whatsapp-web.js's Client. It `implements ClientLike`, a
 * Pick of the library's own typings, so the compiler holds it to the real
 * API. Tests emit library events on it and script its methods.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import type { BrowserLike, ClientLike, PageLike } from '../../../src/engines/wwebjs/client';

export class FakeBrowser extends EventEmitter implements BrowserLike {
  constructor(private readonly child: ChildProcess | null) {
    super();
  }

  process(): ChildProcess | null {
    return this.child;
  }
}

export class FakePage extends EventEmitter implements PageLike {}

export class FakeClient extends EventEmitter implements ClientLike {
  info = { wid: { user: '15550001234', server: 'c.us', _serialized: '15550001234@c.us' }, pushname: 'Me' } as wwebjs.ClientInfo;
  pupBrowser: FakeBrowser | null = null;
  pupPage: FakePage | null = null;
  /** The browser process `launch()` reports, for the process-group kill tests. */
  browserProcess: ChildProcess | null = null;

  readonly initialize = vi.fn<ClientLike['initialize']>(async () => this.launch());
  /** Like the real one: closing the browser makes puppeteer emit 'disconnected'. */
  readonly destroy = vi.fn<ClientLike['destroy']>(async () => {
    this.pupBrowser?.emit('disconnected');
  });
  readonly logout = vi.fn<ClientLike['logout']>(async () => {});
  readonly sendMessage = vi.fn<ClientLike['sendMessage']>();
  readonly getNumberId = vi.fn<ClientLike['getNumberId']>();
  readonly getContactById = vi.fn<ClientLike['getContactById']>();
  readonly getProfilePicUrl = vi.fn<ClientLike['getProfilePicUrl']>();
  readonly getChatById = vi.fn<ClientLike['getChatById']>();
  readonly sendSeen = vi.fn<ClientLike['sendSeen']>(async () => true);
  readonly getState = vi.fn<ClientLike['getState']>(async () => 'CONNECTED' as wwebjs.WAState);

  constructor(readonly options: wwebjs.ClientOptions) {
    super();
  }

  /** What initialize() does first: the browser and page now exist. */
  launch(): void {
    this.pupBrowser = new FakeBrowser(this.browserProcess);
    this.pupPage = new FakePage();
  }
}

/** A library Message as the session reads it; the typings list dozens of fields it never touches. */
export function libraryMessage(fields: Partial<wwebjs.Message> & { _data?: { notifyName?: unknown } } = {}): wwebjs.Message {
  return {
    id: { fromMe: false, remote: '6281111111111@c.us', id: 'ABC123', _serialized: 'false_6281111111111@c.us_ABC123' },
    from: '6281111111111@c.us',
    to: '15550001234@c.us',
    body: 'hello',
    type: 'chat' as wwebjs.MessageTypes,
    timestamp: 1_700_000_000,
    hasMedia: false,
    fromMe: false,
    isStatus: false,
    ...fields,
  } as wwebjs.Message;
}
