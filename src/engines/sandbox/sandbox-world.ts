/** The sandbox's rules about the world: who has which number, who is on WhatsApp, what a message from them looks like. */
import { createHash, randomBytes } from 'node:crypto';
import { isGroupId, toPublicAddress } from '../../protocol/chat-id';
import type { IncomingMessage } from '../../protocol/schemas';

/** The sandbox phone number of a session: 1555 and 7 digits derived from its id. */
export function sandboxPhoneNumber(sessionId: string): string {
  const digits = createHash('sha256').update(sessionId).digest().readUInt32BE(0) % 10_000_000;
  return `1555${String(digits).padStart(7, '0')}`;
}

/** WhatsApp's alphabet for pairing codes: base32 without 0, I, O and U (Baileys' and whatsmeow's encoders). */
const PAIRING_CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';

/** The sandbox's pairing code number `attempt` (1, 2, …) of a session asking for one for `phoneNumber`. */
export function sandboxPairingCode(sessionId: string, phoneNumber: string, attempt: number): string {
  const digest = createHash('sha256').update(`${sessionId}:${phoneNumber}:${attempt}`).digest();
  return [...digest.subarray(0, 8)].map((byte) => PAIRING_CODE_ALPHABET[byte % PAIRING_CODE_ALPHABET.length]).join('');
}

/** Groups exist; numbers ending in 000 are not on WhatsApp. */
export function isSandboxRegistered(chatId: string): boolean {
  return isGroupId(chatId) || !chatId.split('@')[0]!.endsWith('000');
}

/** A text from `chatId` to the account with number `to`. */
export function incomingText(chatId: string, to: string, text: string): IncomingMessage {
  const id = `SANDBOX${randomBytes(8).toString('hex').toUpperCase()}`;
  const from = toPublicAddress(chatId);
  return {
    id: `false_${chatId}_${id}`,
    key: { remoteJid: chatId, id, fromMe: false },
    from,
    to,
    chatId,
    text,
    type: 'text',
    isGroup: isGroupId(chatId),
    pushname: `Contact ${from.slice(-4)}`,
    timestamp: Date.now(),
    hasMedia: false,
    fromMe: false,
    isForwarded: false,
  };
}

/** A text the account with number `phoneNumber` sends to `chatId` from its phone (`id`: its key's id, new by default). */
export function ownText(
  chatId: string,
  phoneNumber: string,
  text: string,
  id = `SANDBOX${randomBytes(8).toString('hex').toUpperCase()}`,
): IncomingMessage {
  return {
    id: `true_${chatId}_${id}`,
    key: { remoteJid: chatId, id, fromMe: true },
    from: phoneNumber,
    to: toPublicAddress(chatId),
    chatId,
    text,
    type: 'text',
    isGroup: isGroupId(chatId),
    timestamp: Date.now(),
    hasMedia: false,
    fromMe: true,
    isForwarded: false,
  };
}
