/**
 * React, edit, delete and forward in the page (issue 14). They call the site modules and library
 * helpers whatsapp-web.js's Message.react/edit/delete/forward call, but through page scripts
 * (page-scripts.ts) because the library's own methods cannot say what happened: react and edit
 * return nothing (or null) both when they worked and when the page has no such message, delete for
 * everyone quietly deletes on this account only when the message cannot be revoked, and edit and
 * forward first need getMessageById, which serializes the whole message. Each script answers an
 * outcome the engine turns into a stable error code. See docs/decisions.md, "Reactions, edits…".
 */
import type { PageScript } from './page-scripts';

export type ActionOutcome = 'done' | 'not_found' | 'not_ours' | 'not_editable' | 'not_revocable';

/** Finds the message as the library does (loaded, else asked of the store); a revoked one counts as gone. */
const FIND_MESSAGE = `
  const { Msg } = window.require('WAWebCollections');
  const msg = Msg.get(messageId) || (await Msg.getMessagesById([messageId]))?.messages?.[0];
  if (!msg || msg.type === 'revoked') return 'not_found';`;

export const REACT_TO_MESSAGE: PageScript<{ messageId: string; emoji: string }, ActionOutcome> =
  `async ({ messageId, emoji }) => {${FIND_MESSAGE}
  await window.require('WAWebSendReactionMsgAction').sendReactionToMsg(msg, emoji);
  return 'done';
}`;

/** No link preview: the library would fetch one (WAWebLinkPreviewChatAction), a second call to WhatsApp. */
export const EDIT_MESSAGE: PageScript<{ messageId: string; text: string }, ActionOutcome> = `async ({ messageId, text }) => {${FIND_MESSAGE}
  if (!msg.id.fromMe) return 'not_ours';
  const capability = window.require('WAWebMsgActionCapability');
  if (!capability.canEditText(msg) && !capability.canEditCaption(msg)) return 'not_editable';
  await window.WWebJS.editMessage(msg, text, { mentionedJidList: [] });
  return 'done';
}`;

export const DELETE_MESSAGE: PageScript<{ messageId: string; forEveryone: boolean }, ActionOutcome> =
  `async ({ messageId, forEveryone }) => {${FIND_MESSAGE}
  const { Chat } = window.require('WAWebCollections');
  const chat = Chat.get(msg.id.remote) || (await Chat.find(msg.id.remote));
  const { Cmd } = window.require('WAWebCmd');
  if (!forEveryone) {
    await Cmd.sendDeleteMsgs(chat, { list: [msg], type: 'message' }, true);
    return 'done';
  }
  const capability = window.require('WAWebMsgActionCapability');
  if (!capability.canSenderRevokeMsg(msg) && !capability.canAdminRevokeMsg(msg)) return 'not_revocable';
  await Cmd.sendRevokeMsgs(chat, { list: [msg], type: 'message' }, { clearMedia: true });
  return 'done';
}`;

export const FORWARD_MESSAGE: PageScript<{ messageId: string; chatId: string }, ActionOutcome> =
  `async ({ messageId, chatId }) => {${FIND_MESSAGE}
  await window.WWebJS.forwardMessage(chatId, messageId);
  return 'done';
}`;

export const MESSAGE_ACTION_SCRIPTS: Record<string, string> = { REACT_TO_MESSAGE, EDIT_MESSAGE, DELETE_MESSAGE, FORWARD_MESSAGE };
