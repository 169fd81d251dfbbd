// ---------- slice "media download" (issue 14): Message.downloadMedia() ----------
// The real site fetches the encrypted file from the media server and decrypts it with the message's mediaKey
// (AES-256-CBC with an HMAC-SHA256 check, keys expanded from mediaKey with HKDF). That cannot be verified offline:
// the double keeps the plain bytes and imitates the decryption's one observable rule, that it fails unless the
// caller hands over the mediaKey and encFilehash of the file at directPath (a wrong key fails the real HMAC check).
const fetchMedia = modules.WAWebDownloadManager.downloadManager.downloadAndMaybeDecrypt;
modules.WAWebDownloadManager.downloadManager.downloadAndMaybeDecrypt = async (request) => {
  const owner = Msg.getModelsArray().find((msg) => msg.directPath === request.directPath);
  if (owner && (owner.mediaKey !== request.mediaKey || owner.encFilehash !== request.encFilehash)) {
    throw new Error('WhatsApp Web double: media decryption failed (HMAC mismatch)');
  }
  return fetchMedia(request);
};
// The phone no longer has the file: the media server forgets it, and the page shows the re-upload spinner.
window.WADouble.expireMedia = (messageId) => {
  const msg = Msg.get(messageId);
  if (!msg?.directPath) throw new Error(`WhatsApp Web double: no media message ${messageId}`);
  mediaServer.delete(msg.directPath);
  msg.mediaData.mediaStage = 'REUPLOADING';
};
// ---------- end of slice "media download" ----------

// ---------- slice "message actions" (issue 14): reactions, edits, deletes, forwards ----------
// What the site's own rules are said to be (FAQ: edits within 15 minutes of sending, own text or caption; revoke
// of your own message for about two days; group admins may revoke anyone's, not modelled: the double's account
// administers no group). Each action is recorded for the harness (WADouble.messageActions).
const EDIT_WINDOW_SECONDS = 15 * 60;
const REVOKE_WINDOW_SECONDS = 2 * 24 * 60 * 60;
const ageSeconds = (msg) => nowSeconds() - msg.t;
const messageActions = [];
const recordAction = (action, msg, fields) => messageActions.push({ action, id: msg.id.toString(), ...fields });
Object.assign(Cmd, {
  async sendRevokeMsgs(chat, { list }) {
    for (const msg of list) {
      msg.set({ type: 'revoked', body: undefined, caption: undefined });
      recordAction('revoke', msg, {});
    }
  },
  async sendDeleteMsgs(chat, { list }) {
    for (const msg of list) {
      msg.set({ type: 'revoked' }); // gone from this account: the engine's lookups treat it as deleted
      recordAction('delete', msg, {});
    }
  },
});
Object.assign(modules, {
  WAWebSendReactionMsgAction: {
    sendReactionToMsg: async (msg, reaction) => recordAction('react', msg, { emoji: reaction }),
  },
  WAWebMsgActionCapability: {
    canEditText: (msg) => msg.id.fromMe && msg.type === 'chat' && ageSeconds(msg) <= EDIT_WINDOW_SECONDS,
    canEditCaption: (msg) => msg.id.fromMe && Boolean(msg.caption) && ageSeconds(msg) <= EDIT_WINDOW_SECONDS,
    canSenderRevokeMsg: (msg) => msg.id.fromMe && msg.type !== 'revoked' && ageSeconds(msg) <= REVOKE_WINDOW_SECONDS,
    canAdminRevokeMsg: () => false,
  },
  WAWebSendMessageEditAction: {
    sendMessageEdit: async (msg, content) => {
      msg.set(msg.type === 'chat' ? { body: content } : { caption: content });
      recordAction('edit', msg, { text: content });
    },
  },
  WAWebPresenceChatAction: {
    sendPresenceAvailable: async () => messageActions.push({ action: 'presence', available: true }),
    sendPresenceUnavailable: async () => messageActions.push({ action: 'presence', available: false }),
  },
  WAWebChatForwardMessage: {
    forwardMessages: async ({ chat, msgs }) => {
      for (const msg of msgs) recordAction('forward', msg, { to: chat.id.toString() });
    },
  },
});
Object.assign(window.WADouble, { messageActions: () => [...messageActions] });
// ---------- end of slice "message actions" ----------
