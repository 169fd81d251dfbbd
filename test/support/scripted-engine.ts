/** An engine whose sessions do exactly what the test tells them, for session-layer tests. */
import type { Contacts } from '../../src/engines/capabilities/contacts';
import type { MessageActions } from '../../src/engines/capabilities/message-actions';
import type { Messaging, OutgoingMessage, SentMessage, SentProbe } from '../../src/engines/capabilities/messaging';
import type { AccountInfo, Engine, EngineListener, EngineSession, LoginOptions } from '../../src/engines/engine';
import type { ProfileInfo } from '../../src/protocol/schemas';

export class ScriptedSession implements EngineSession {
  started = 0;
  stopped = 0;
  loggedOut = 0;
  /** What start() does; default: resolve and show a QR. */
  onStart: (session: ScriptedSession) => Promise<void> = async (session) => session.listener.onQr('qr-1');
  sendResult: () => Promise<SentMessage> = async () => ({ id: `id-${Date.now()}`, timestamp: Date.now() });
  readonly sent: Array<{ chatId: string; message: OutgoingMessage }> = [];
  /** The findSent capability; unset, the session has none. */
  findSent?: (chatId: string, probe: SentProbe) => Promise<SentMessage | undefined>;
  readonly probes: Array<{ chatId: string; probe: SentProbe }> = [];

  constructor(
    readonly listener: EngineListener,
    /** How the session was asked to log in. */
    readonly login: LoginOptions = {},
  ) {}

  start() {
    this.started += 1;
    return this.onStart(this);
  }
  async stop() {
    this.stopped += 1;
  }
  async logout() {
    this.loggedOut += 1;
  }
  get messaging(): Messaging {
    const { findSent } = this;
    return {
      sendMessage: async (chatId: string, message: OutgoingMessage) => {
        this.sent.push({ chatId, message });
        return this.sendResult();
      },
      setTyping: async () => {},
      markRead: async () => {},
      ...(findSent && {
        findSent: (chatId: string, probe: SentProbe) => {
          this.probes.push({ chatId, probe });
          return findSent(chatId, probe);
        },
      }),
    };
  }
  readonly messageActions: MessageActions = {
    react: async () => {},
    edit: async () => {},
    delete: async () => {},
    forward: async () => {},
    setPresence: async () => {},
  };
  readonly contacts: Contacts = {
    lookupNumber: async (chatId: string) => (chatId.startsWith('0') ? null : { id: chatId }),
    getProfile: async (jid: string): Promise<ProfileInfo> => ({
      jid,
      name: null,
      pushname: null,
      about: null,
      profilePicUrl: null,
      isBusiness: false,
    }),
  };

  connect(account: AccountInfo = { phoneNumber: '15550001111', pushname: 'Bot' }) {
    this.listener.onConnected(account);
  }
}

export class ScriptedEngine implements Engine {
  readonly name = 'sandbox' as const;
  readonly sessions: ScriptedSession[] = [];
  /** Applied to every new session before it starts. */
  configure: (session: ScriptedSession) => void = () => {};

  assertCanStart() {}

  createSession(_sessionId: string, listener: EngineListener, login?: LoginOptions) {
    const session = new ScriptedSession(listener, login);
    this.configure(session);
    this.sessions.push(session);
    return session;
  }

  get latest(): ScriptedSession {
    const session = this.sessions.at(-1);
    if (!session) throw new Error('no session created yet');
    return session;
  }
}
