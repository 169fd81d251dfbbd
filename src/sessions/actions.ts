/**
 * What each request does to a session: check the input, call the engine,
 * shape the answer. Engine failures leave here as GatewayErrors.
 */
import type { EngineSession, OutgoingMessage } from '../engines/engine';
import { resolveMedia, type MediaSourceOptions } from '../media/resolve-media';
import { chatIdOfMessage, toChatId } from '../protocol/chat-id';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { RequestPayload, RequestResult } from '../protocol/events';
import type { IncomingMessage } from '../protocol/schemas';
import type { Session } from './session';

type SendRequest = RequestPayload<'send_whatsapp_message'>;

export interface SendPolicy {
  media: MediaSourceOptions;
  maxTextLength: number;
  maxCaptionLength: number;
  /** Show "typing…" this long before a text goes out (0 = off). */
  typingMs: number;
  /** How long a queued message waits for a session whose browser is restarting. */
  retryWindowMs: number;
}

/** What WhatsApp gave back for a sent message; all a repeated clientMessageId needs to be answered again. */
export interface SendReceipt {
  chatId: string;
  messageId: string;
  timestamp: number;
}

/**
 * Checks the request, then queues it behind the session's earlier sends.
 * Resolves only once WhatsApp returned a message id.
 */
export async function sendMessage(session: Session, request: SendRequest, policy: SendPolicy): Promise<SendReceipt> {
  const chatId = toChatId(request.to);
  const outgoing = await toOutgoing(request, policy);
  try {
    session.connectedEngine();
    return await session.queue.push(async () => {
      const engine = await session.waitForConnection(policy.retryWindowMs);
      const target = await registeredChatId(session, engine, chatId);
      if (outgoing.type === 'text' && policy.typingMs > 0) await simulateTyping(engine, target, policy.typingMs);
      const sent = await engineCall(() => engine.sendMessage(target, outgoing));
      return { chatId: sent.chatId ?? target, messageId: sent.id, timestamp: sent.timestamp };
    });
  } finally {
    // Sent, failed, refused (queue_full, not connected) or cancelled (session_stopped): the open file goes.
    outgoing.media?.release?.();
  }
}

/** The message_sent payload for a request and its receipt. */
export function messageSent(sessionId: string, request: SendRequest, receipt: SendReceipt): RequestResult<'send_whatsapp_message'> {
  return {
    sessionId,
    to: request.to,
    chatId: receipt.chatId,
    message: textOf(request),
    type: request.type,
    messageId: receipt.messageId,
    timestamp: receipt.timestamp,
    ...(request.clientMessageId !== undefined && { clientMessageId: request.clientMessageId }),
  };
}

/** The text of a text message, or the caption of a media message (`caption` wins over `message`). */
function textOf(request: SendRequest): string | undefined {
  return request.type === 'text' ? request.message : (request.caption ?? request.message);
}

async function toOutgoing(request: SendRequest, policy: SendPolicy): Promise<OutgoingMessage> {
  const text = textOf(request);
  if (request.type === 'text') {
    assertLength('message', text!, policy.maxTextLength);
    return { type: 'text', text };
  }
  if (text !== undefined) assertLength(request.caption !== undefined ? 'caption' : 'message', text, policy.maxCaptionLength);
  const media = await resolveMedia(request.media!, request.type, policy.media, request.fileName);
  return { type: request.type, text, media };
}

function assertLength(field: string, text: string, max: number): void {
  if (text.length > max) throw new GatewayError('invalid_payload', `${field}: at most ${max} characters (got ${text.length})`);
}

/** A side step: its failure must not fail the send. */
async function simulateTyping(engine: EngineSession, chatId: string, ms: number): Promise<void> {
  await engine.setTyping(chatId, true).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await engine.setTyping(chatId, false).catch(() => undefined);
}

export async function checkPhoneNumber(session: Session, phoneNumber: string): Promise<RequestResult<'check_phone_number'>> {
  const chatId = toChatId(phoneNumber);
  const engine = session.connectedEngine();
  const found = needsLookup(chatId)
    ? session.addresses.remember(chatId, await engineCall(() => engine.lookupNumber(chatId)))
    : { id: chatId };
  return { sessionId: session.id, phoneNumber, exists: found !== null, jid: found?.id ?? null, ...(found?.lid && { lid: found.lid }) };
}

export async function getProfileInfo(session: Session, phoneNumber: string): Promise<RequestResult<'get_profile_info'>> {
  const chatId = toChatId(phoneNumber);
  const engine = session.connectedEngine();
  const target = await registeredChatId(session, engine, chatId);
  const profileInfo = await engineCall(() => engine.getProfile(target));
  return { sessionId: session.id, phoneNumber, profileInfo };
}

export async function sendTyping(session: Session, to: string, isTyping: boolean): Promise<RequestResult<'send_typing'>> {
  const engine = session.connectedEngine();
  const chatId = await registeredChatId(session, engine, toChatId(to));
  await engineCall(() => engine.setTyping(chatId, isTyping));
  return { sessionId: session.id, to, isTyping };
}

export async function readMessage(
  session: Session,
  messageKey: RequestPayload<'read_message'>['messageKey'],
): Promise<RequestResult<'read_message'>> {
  const chatId = chatIdOfMessage(messageKey);
  const engine = session.connectedEngine();
  await engineCall(() => engine.markRead(chatId));
  return { sessionId: session.id, messageKey };
}

export function injectMessage(session: Session, from: string, text: string): IncomingMessage {
  const chatId = toChatId(from);
  const engine = session.connectedEngine();
  if (!engine.injectMessage) throw new GatewayError('not_supported', 'sandbox_inject_message works only with WA_ENGINE=sandbox');
  return engine.injectMessage(chatId, text);
}

/** Groups and @lid ids need no lookup: they only exist on WhatsApp. */
function needsLookup(chatId: string): boolean {
  return chatId.endsWith('@c.us');
}

/** The address WhatsApp knows a number by (which is also how the page learns its LID). */
async function registeredChatId(session: Session, engine: EngineSession, chatId: string): Promise<string> {
  if (!needsLookup(chatId)) return chatId;
  const registered = await session.addresses.resolve(chatId, () => engineCall(() => engine.lookupNumber(chatId)));
  if (!registered) throw new GatewayError('not_on_whatsapp', `${chatId.split('@')[0]} is not on WhatsApp`);
  return registered.id;
}

async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGatewayError(error);
  }
}
