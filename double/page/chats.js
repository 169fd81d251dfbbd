// ---------- chats (issue 15): the chat list, earlier messages, archive, pin, mute, unread, clear, delete ----------
// The calls whatsapp-web.js 1.34.7 makes (Client.archiveChat/pinChat/muteChat/markChatUnread, Chat.clearMessages/
// delete, Chat.fetchMessages) and the engine's page scripts (chat-scripts.ts). What the site does, from public
// evidence: the Chat collection is ordered pinned first (by pin time), then by last activity (the library's
// pinChat reads the third model's `pin` to enforce the limit of 3); `pin` is the pin time, 0 when unpinned;
// a chat marked unread by hand has unreadCount -1 (the site's own code treats -1 so); `mute.expiration` is 0
// (not muted), -1 (for ever) or the end in seconds; loadEarlierMsgs({ chat }) loads the next older batch from
// the phone into `msgs` and answers it ([] when there is none: wwebjs #201706 for the call's shape).
const EARLIER_BATCH = 20;
const chatActions = [];
class ChatMuteModel {
  expiration = 0;
  async mute({ expiration }) {
    this.expiration = expiration;
  }
  async unmute() {
    this.expiration = 0;
  }
}
const chatOrder = (a, b) => (b.pin || 0) - (a.pin || 0) || (b.t || 0) - (a.t || 0);
const insertionOrdered = Chat.getModelsArray.bind(Chat);
Chat.getModelsArray = () => insertionOrdered().sort(chatOrder);
const earlierOf = new Map(); // chat -> records of messages still on the phone, oldest first
// A message of the chat's history, made when it is loaded (its key by this page load's MsgKey).
const historyMsg = (chat, { body, fromMe, t }) => {
  const other = chat.id;
  return new MsgModel({
    id: new MsgKey({ fromMe: Boolean(fromMe), remote: other, id: randomHex(16) }),
    type: 'chat',
    body,
    t,
    from: fromMe ? me : other,
    to: fromMe ? other : me,
    ack: fromMe ? 3 : 1,
    isNewMsg: false,
    notifyName: fromMe ? undefined : `Contact ${other.user}`,
    mentionedJidList: [],
    isForwarded: false,
  });
};
Object.assign(Cmd, {
  async archiveChat(chat, archive) {
    chat.set('archive', archive);
    chatActions.push({ action: 'archive', chatId: chat.id.toString(), archive });
  },
  async pinChat(chat, pin) {
    chat.set('pin', pin ? nowSeconds() : 0);
    chatActions.push({ action: 'pin', chatId: chat.id.toString(), pin });
  },
  async markChatUnread(chat, unread) {
    if (unread && chat.unreadCount === 0) chat.set('unreadCount', -1);
    chatActions.push({ action: 'markUnread', chatId: chat.id.toString() });
  },
});
Object.assign(modules, {
  WAWebChatLoadMessages: {
    async loadEarlierMsgs({ chat }) {
      const waiting = earlierOf.get(chat) ?? [];
      const batch = waiting.splice(Math.max(0, waiting.length - EARLIER_BATCH)).map((record) => historyMsg(chat, record));
      for (const msg of batch) {
        Msg.add(msg);
        chat.msgs.add(msg);
      }
      chatActions.push({ action: 'loadEarlier', chatId: chat.id.toString(), loaded: batch.length });
      return batch;
    },
  },
  WAWebChatClearBridge: {
    async sendClear(chat) {
      for (const msg of chat.msgs.getModelsArray()) {
        chat.msgs.remove(msg);
        Msg.remove(msg);
      }
      earlierOf.delete(chat);
      chatActions.push({ action: 'clear', chatId: chat.id.toString() });
    },
  },
  WAWebDeleteChatAction: {
    async sendDelete(chat) {
      await modules.WAWebChatClearBridge.sendClear(chat);
      chatActions.pop();
      Chat.remove(chat);
      chatActions.push({ action: 'delete', chatId: chat.id.toString() });
    },
  },
});
Object.assign(window.WADouble, {
  chatActions: () => [...chatActions],
  // A chat with a history: `messages` oldest first; the newest `loaded` are in `msgs`, the rest on the phone.
  seedChat({ from, messages, loaded }) {
    const chat = findChat(senderOf(from, false));
    const onPhone = messages.slice(0, Math.max(0, messages.length - loaded));
    for (const record of messages.slice(onPhone.length)) chat.addMessage(historyMsg(chat, record));
    earlierOf.set(chat, onPhone);
    return chat.id.toString();
  },
  chatState(chatId) {
    const chat = Chat.get(createWid(chatId));
    if (!chat) return null;
    const { archive, pin, unreadCount } = chat;
    return { archive, pin, unreadCount, muteExpiration: chat.mute.expiration, loaded: chat.msgs.getModelsArray().length };
  },
});
// ---------- end of chats (issue 15) ----------
