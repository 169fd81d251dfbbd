// ---------- what the harness reads ----------
const sent = []; // MsgModels sent by the client
const typing = [];
const seen = [];
const missing = [];

function receive({ from, hidePhone, type, body, caption, mimetype, filename, bytes, timestamp, extra }) {
  if (!me) throw new Error('WhatsApp Web double: not paired, cannot receive');
  const sender = senderOf(from, hidePhone);
  const chat = findChat(sender);
  findContact(sender);
  const t = timestamp ?? nowSeconds();
  // The fields of a real incoming model (test/fixtures/whatsapp-web/incoming-lid-text-2025-12.json).
  const attributes = {
    id: new MsgKey({ fromMe: false, remote: chat.id, id: randomHex(16) }),
    viewed: false,
    body,
    type,
    t,
    clientReceivedTsMillis: t * 1000,
    notifyName: `Contact ${chat.id.user}`,
    from: chat.id,
    to: me,
    ack: 1,
    invis: false,
    isNewMsg: true,
    star: false,
    kicNotified: false,
    recvFresh: true,
    isFromTemplate: false,
    isAdsMedia: false,
    pollInvalidated: false,
    isSentCagPollCreation: false,
    latestEditMsgKey: null,
    latestEditSenderTimestampMs: null,
    mentionedJidList: [],
    groupMentions: [],
    isEventCanceled: false,
    eventInvalidated: false,
    isVcardOverMmsDocument: false,
    isForwarded: false,
  };
  if (bytes) {
    const entry = upload(bytes);
    Object.assign(attributes, {
      caption,
      mimetype,
      filename,
      size: bytes.length,
      directPath: entry.directPath,
      clientUrl: entry.mmsUrl,
      mediaKey: entry.mediaKey,
      mediaKeyTimestamp: entry.mediaKeyTimestamp,
      encFilehash: entry.encFilehash,
    });
  }
  Object.assign(attributes, extra); // receiving (issue 14): replies, mentions, locations, polls…
  const msg = new MsgModel(attributes);
  chat.addMessage(msg);
  chat.set('unreadCount', chat.unreadCount + 1);
  return msg;
}

// Auto mode: the other side reads everything and answers "echo: ...".
function autoAnswer(msg) {
  if (isUnknownNumber(msg.to)) return; // nobody there: stays at ack 0, like a number without WhatsApp
  setTimeout(() => msg.set('ack', 1), 100);
  setTimeout(() => msg.set('ack', 2), 200);
  setTimeout(() => {
    receive(
      msg.directPath
        ? {
            from: msg.to,
            type: msg.type,
            caption: `echo: ${msg.type}`,
            mimetype: msg.mimetype,
            filename: msg.filename,
            bytes: mediaServer.get(msg.directPath),
          }
        : { from: msg.to, type: 'chat', body: `echo: ${msg.type === 'chat' ? msg.body : msg.type}` },
    );
  }, 300);
  setTimeout(() => msg.set('ack', 3), 400);
}
