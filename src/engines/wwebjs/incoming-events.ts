/**
 * What whatsapp-web.js reports about messages and calls, handed to the session's listener: incoming
 * and own messages, acks, and the receiving events of issue 14 (edits, revokes, reactions, votes,
 * calls). Events are handed on in the order they arrived, once the phone numbers of the LIDs they
 * name are looked up, and dropped once the session is ending.
 */
import type wwebjs from 'whatsapp-web.js';
import type { Logger } from '../../logger';
import type { EngineListener } from '../engine';
import type { WwebjsCalling } from './calling';
import type { ClientLike } from './client';
import type { GatewaySends } from './gateway-sends';
import type { LidDirectory } from './lid-directory';
import {
  lidsOf,
  onlyLids,
  serializedKey,
  toAckStatus,
  toIncomingCall,
  toIncomingMessage,
  toMessageEdit,
  toMessageReaction,
  toMessageRevoke,
  toPollVote,
  type LibraryMessage,
  type LibraryMessageKey,
  type LidPhones,
} from './message-mapper';

interface IncomingEventsDeps {
  listener: EngineListener;
  lids: LidDirectory;
  sends: GatewaySends;
  calling: WwebjsCalling;
  log: Logger;
  /** True once the session is ending: what is still being looked up is not handed on. */
  hasEnded: () => boolean;
}

/** Runs one event handler the way the session runs them all (not once it is ending; errors logged). */
export type HandleEvent = (handler: () => unknown) => void;

export class IncomingEvents {
  /** Incoming messages are handed on in the order they arrived, whatever their lookups take. */
  private incoming: Promise<void> = Promise.resolve();
  /** The account's own messages, in their order; each may wait for the gateway's sends under way (gateway-sends.ts). */
  private ownMessages: Promise<void> = Promise.resolve();
  private client: ClientLike | null = null;

  constructor(private readonly deps: IncomingEventsDeps) {}

  listen(client: ClientLike, handle: HandleEvent): void {
    this.client = client;
    client.on('message', (msg) => handle(() => this.onMessage(msg)));
    client.on('message_ack', (msg, ack) => handle(() => this.onAck(msg, ack)));
    client.on('message_create', (msg) => handle(() => this.onMessageCreate(msg)));
    client.on('message_edit', (msg, text, previous) => handle(() => this.onEdit(msg, text, previous)));
    client.on('message_revoke_everyone', (msg) => handle(() => this.onRevoke(msg)));
    client.on('message_reaction', (reaction) => handle(() => this.onReaction(reaction)));
    client.on('vote_update', (vote) => handle(() => this.onVote(vote)));
    client.on('call', (call) => handle(() => this.onCall(call)));
  }

  private onMessage(msg: wwebjs.Message): void {
    if (msg.isStatus) return; // status@broadcast stories, not chat messages
    const message: LibraryMessage = msg;
    this.report(lidsOf(message), (phones) => this.deps.listener.onMessage(toIncomingMessage(message, phones, this.ownIds())));
  }

  /**
   * Hands an event on in the order events arrived, once the phone numbers of the LIDs it names are
   * looked up, unless the session has ended by then.
   */
  private report(lids: string[], deliver: (phones: LidPhones) => void): void {
    const phones = this.deps.lids.phonesOf(lids);
    this.incoming = this.incoming.then(async () => {
      const known = await phones;
      if (!this.deps.hasEnded()) deliver(known);
    });
  }

  // ---- receiving (issue 14) ----

  /** `message_create` reports every new message; only the account's own are news here, and not those the gateway sent. */
  private onMessageCreate(msg: wwebjs.Message): void {
    if (!msg.fromMe || msg.isStatus) return; // others' messages arrive as 'message'
    const message: LibraryMessage = msg;
    const gatewaySend = this.deps.sends.isGatewaySend({ id: serializedKey(msg.id), waType: msg.type, text: msg.body });
    const phones = this.deps.lids.phonesOf(lidsOf(message));
    this.ownMessages = this.ownMessages.then(async () => {
      if (await gatewaySend) return;
      const own = toIncomingMessage(message, await phones, this.ownIds());
      if (!this.deps.hasEnded()) this.deps.listener.onOwnMessage(own);
    });
  }

  private onEdit(msg: wwebjs.Message, text: unknown, previous: unknown): void {
    const edit = msg.isStatus ? null : toMessageEdit(msg, text, previous);
    if (edit) this.report([], () => this.deps.listener.onMessageEdited(edit));
  }

  private onRevoke(msg: wwebjs.Message): void {
    if (msg.isStatus) return;
    this.report(onlyLids([msg.author ?? msg.from]), (phones) => this.deps.listener.onMessageRevoked(toMessageRevoke(msg, phones)));
  }

  private onReaction(reaction: wwebjs.Reaction): void {
    this.report(onlyLids([reaction.senderId]), (phones) => this.deps.listener.onReaction(toMessageReaction(reaction, phones)));
  }

  private onVote(vote: wwebjs.PollVote & { parentMsgKey?: LibraryMessageKey }): void {
    const { parentMsgKey } = vote;
    if (!parentMsgKey) return this.deps.log.warn('a poll vote came without its poll');
    this.report(onlyLids([vote.voter]), (phones) => this.deps.listener.onPollVote(toPollVote({ ...vote, parentMsgKey }, phones)));
  }

  /** The page reports a call at every change of it: the first report of an incoming one is the news. */
  private onCall(call: wwebjs.Call): void {
    if (call.fromMe || !this.deps.calling.noteCall(call)) return;
    this.report(onlyLids([call.from]), (phones) => this.deps.listener.onCall(toIncomingCall(call, phones)));
  }

  /** The account's own id, once the library knows it: a reply to one of its messages names it. */
  private ownIds(): string[] {
    const own = this.client?.info?.wid?._serialized;
    return own ? [own] : [];
  }

  private onAck(msg: wwebjs.Message, ack: number): void {
    const status = toAckStatus(ack);
    const messageId = serializedKey(msg.id);
    if (status) this.deps.listener.onAck(messageId, status);
    else this.deps.log.info({ messageId, ack }, 'unknown message ack');
  }
}
