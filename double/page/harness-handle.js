// ---------- the harness's handle (test/double/harness.ts) ----------
window.WADouble = {
  config,
  missing,
  scan,
  enterCode,
  pairingRequests: () => altLinking.requests.map((request) => ({ ...request })),
  deliver({ from, hidePhone, body, caption, media, type, timestamp, ...details }) {
    const bytes = media && fromBase64(media.data);
    const extra = receivingAttributes(details); // receiving (issue 14)
    return receive({
      extra,
      from,
      hidePhone,
      caption,
      timestamp,
      type: type ?? extra.type ?? (media ? mediaTypeOf(media.mimetype) : 'chat'),
      body: media ? undefined : body,
      mimetype: media?.mimetype,
      filename: media?.filename,
      bytes,
    }).id.toString();
  },
  setAck(messageId, ack) {
    const msg = Msg.get(messageId);
    if (!msg) throw new Error(`WhatsApp Web double: no message ${messageId}`);
    msg.set('ack', ack);
  },
  logoutFromPhone() {
    // The library's own path: Cmd 'logout' -> window.onLogoutEvent (sets client.lastLoggedOut),
    // then the page navigates -> 'framenavigated' -> disconnected('LOGOUT') and a new QR.
    forgetAccount();
    Cmd.trigger('logout');
    setTimeout(() => location.reload(), 300);
  },
  logoutFromBridge() {
    // The 2026 path: the phone unlinks this device; the socket drops to UNPAIRED, the bridge sends
    // Cmd 'logout_from_bridge' (wwebjs PR #5807), then the page reloads. It happens after this call
    // returns, as a phone's action does: the library closes the browser as soon as it sees it.
    forgetAccount();
    setTimeout(() => {
      me = null;
      Socket.set('state', 'UNPAIRED');
      Cmd.trigger('logout_from_bridge');
      setTimeout(() => location.reload(), 300);
    }, 0);
  },
  lidOf: (phone) => `${lidUserOf(phone)}@lid`,
  stopAnswering() {
    localStorage.setItem(STORAGE_STOP, '1');
  },
  sentMessages: () =>
    sent.map((msg) => ({
      id: msg.id.toString(),
      from: msg.from.toString(),
      to: msg.to.toString(),
      type: msg.type,
      body: msg.type === 'chat' ? msg.body : undefined,
      caption: msg.caption,
      mimetype: msg.mimetype,
      filename: msg.filename,
      size: msg.size,
      isVoice: msg.type === 'ptt',
      asDocument: msg.type === 'document',
      ack: msg.ack,
      timestamp: msg.t,
    })),
  chatMessages: (chatId) =>
    (Chat.get(createWid(chatId))?.msgs.getModelsArray() ?? []).map((msg) => ({
      id: msg.id.toString(),
      fromMe: msg.id.fromMe,
      type: msg.type,
      body: msg.type === 'chat' ? msg.body : undefined,
      caption: msg.caption,
      t: msg.t,
    })),
  injected: () => Cmd.listenerCount('logout') > 0, // inject()'s last step hooks Cmd 'logout'
  typingCalls: () => [...typing],
  seenCalls: () => [...seen],
};
