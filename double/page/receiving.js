// ---------- receiving (issue 14): what a received message carries, the account's messages from its phone, ----------
// ---------- edits, deletions for everyone, reactions, poll votes and calls, as the July 2026 site reports them ----------
const fixedThumbnail =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/';
const messageById = (messageId) => {
  const msg = Msg.get(messageId);
  if (!msg) throw new Error(`WhatsApp Web double: no message ${messageId}`);
  return msg;
};
// The replied-to message as a reply carries it: its own fields (a media message's body is its thumbnail), its id and author.
const quotedFieldsOf = (quoted) => ({
  quotedMsg: plain({
    type: quoted.type,
    body: quoted.type === 'chat' ? quoted.body : fixedThumbnail,
    caption: quoted.caption,
    pollName: quoted.pollName,
  }),
  quotedStanzaID: quoted.id.id,
  quotedParticipant: quoted.id.fromMe ? me : (quoted.author ?? quoted.from),
});
// The fields of a received message beside its text, named as on the real model (whatsapp-web.js's Message reads them).
function receivingAttributes({ quotedMessageId, mentions, location, vcards, poll, isForwarded, duration }) {
  return {
    ...(quotedMessageId && quotedFieldsOf(messageById(quotedMessageId))),
    ...(mentions && { mentionedJidList: mentions.map(createWid) }),
    ...(location && {
      type: 'location',
      body: fixedThumbnail, // the map preview, as on the real site
      lat: location.latitude,
      lng: location.longitude,
      ...((location.name || location.address) && { loc: [location.name, location.address].filter(Boolean).join('\n') }),
      ...(location.url && { clientUrl: location.url }),
    }),
    ...(vcards?.length === 1 && { type: 'vcard', body: vcards[0] }),
    ...(vcards?.length > 1 && { type: 'multi_vcard', vcardList: vcards.map((vcard) => ({ vcard })) }),
    ...(poll && {
      type: 'poll_creation',
      pollName: poll.question,
      pollOptions: poll.options.map((name, localId) => ({ name, localId })),
      pollSelectableOptionsCount: poll.allowMultipleAnswers ? 0 : 1,
    }),
    ...(isForwarded && { isForwarded: true, forwardingScore: 1 }),
    ...(duration !== undefined && { duration: String(duration) }),
  };
}

// The account writes from its phone: the message arrives in the chat as its own (fromMe), new, like a received one.
function sendFromPhone({ to, body }) {
  if (!me) throw new Error('WhatsApp Web double: not paired, cannot send from the phone');
  const chat = findChat(addressOf(to));
  const t = nowSeconds();
  const msg = new MsgModel({
    id: new MsgKey({ fromMe: true, remote: chat.id, id: `3A${randomHex(9)}` }), // an iPhone's id, unlike the gateway's 3EB0…
    body,
    type: 'chat',
    t,
    from: me,
    to: chat.id,
    self: 'out',
    ack: 1,
    isNewMsg: true,
    star: false,
    mentionedJidList: [],
    groupMentions: [],
    latestEditMsgKey: null,
    latestEditSenderTimestampMs: null,
    isForwarded: false,
  });
  chat.addMessage(msg);
  return msg.id.toString();
}

// Its sender edits a message: the edit marks and the new text change together, as one update of the model.
function editMessage(messageId, text) {
  const msg = messageById(messageId);
  msg.set({
    latestEditMsgKey: new MsgKey({ fromMe: msg.id.fromMe, remote: msg.id.remote, id: randomHex(16) }),
    latestEditSenderTimestampMs: Date.now(),
    [msg.type === 'chat' ? 'body' : 'caption']: text,
  });
}

// Deleted for everyone: the same model turns into a 'revoked' one without its content.
function revokeMessage(messageId) {
  messageById(messageId).set({ type: 'revoked', subtype: 'sender_revoke', body: undefined, caption: undefined });
}

// Reactions and poll votes reach the page as rows for its add-on tables, which whatsapp-web.js hooks (bulkUpsert).
const addonRows = { reactions: [], votes: [] };
Object.assign(modules.WAWebAddonReactionTableMode, {
  reactionTableMode: { bulkUpsert: async (rows) => void addonRows.reactions.push(...rows) },
});
Object.assign(modules.WAWebAddonPollVoteTableMode, {
  pollVoteTableMode: { bulkUpsert: async (rows) => void addonRows.votes.push(...rows) },
});
// Who acts in a chat: somebody else (on the LID profile by their LID), or the account itself when `from` is absent.
const actorOf = (from) => (from ? senderOf(from) : me);
const addonRow = (parent, actor) => ({
  id: new MsgKey({ fromMe: actor === me, remote: parent.id.remote, id: randomHex(16) }),
  from: actor,
  ...(parent.id.remote.isGroup() && { author: actor }),
});
function react({ messageId, from, emoji }) {
  const parent = messageById(messageId);
  const row = {
    ...addonRow(parent, actorOf(from)),
    reactionParentKey: parent.id,
    reactionText: emoji,
    reactionTimestamp: Date.now(),
    orphan: 0,
    read: false,
    ack: 1,
  };
  return modules.WAWebAddonReactionTableMode.reactionTableMode.bulkUpsert([row]); // looked up now: the library's hook runs
}
function vote({ messageId, voter, selectedOptions }) {
  const poll = messageById(messageId);
  if (poll.type !== 'poll_creation') throw new Error(`WhatsApp Web double: ${messageId} is not a poll`);
  const localIds = selectedOptions.map((name) => {
    const option = poll.pollOptions.find((candidate) => candidate.name === name);
    if (!option) throw new Error(`WhatsApp Web double: the poll has no option ${name}`);
    return option.localId;
  });
  const row = {
    ...addonRow(poll, actorOf(voter)),
    pollUpdateParentKey: poll.id,
    selectedOptionLocalIds: localIds,
    t: Date.now(),
    senderTimestampMs: Date.now(),
  };
  return modules.WAWebAddonPollVoteTableMode.pollVoteTableMode.bulkUpsert([row]);
}

// Calls live in a collection whose Map (under a minified name) the library hooks: every set() of a call is reported,
// also each later change of the same call. Declining one is a 'reject' stanza, cast through WADeprecatedSendIq.
const calls = new Map();
const rejectedCalls = [];
modules.WAWebCallCollection = Object.assign(new Emitter(), { $1: calls });
const updateCall = (call) => modules.WAWebCallCollection.$1.set(call.id, call);
function ringCall({ from, isVideo, isGroup }) {
  const call = {
    id: randomHex(16),
    peerJid: senderOf(from),
    isVideo: Boolean(isVideo),
    isGroup: Boolean(isGroup),
    canHandleLocally: false,
    outgoing: false,
    webClientShouldHandle: false,
    participants: [],
    offerTime: nowSeconds(),
  };
  updateCall(call);
  setTimeout(() => calls.has(call.id) && updateCall({ ...calls.get(call.id), webClientShouldHandle: true }), 50); // it keeps ringing
  return call.id;
}
Object.assign(modules, {
  WAWap: { wap: (tag, attrs, content) => ({ tag, attrs, content }), generateId: () => randomHex(8) },
  WADeprecatedSendIq: {
    async deprecatedCastStanza(stanza) {
      const reject = stanza.tag === 'call' ? stanza.content?.find((child) => child.tag === 'reject') : undefined;
      if (!reject) throw new Error(`WhatsApp Web double: unexpected stanza ${stanza.tag}`);
      const call = calls.get(reject.attrs['call-id']);
      if (!call) throw new Error(`WhatsApp Web double: no call ${reject.attrs['call-id']}`);
      rejectedCalls.push({ callId: call.id, to: String(stanza.attrs.to), from: String(stanza.attrs.from) });
      calls.delete(call.id);
    },
  },
});

Object.assign(window.WADouble, {
  sendFromPhone,
  editMessage,
  revokeMessage,
  react,
  vote,
  ringCall,
  rejectedCalls: () => [...rejectedCalls],
});
// ---------- end of receiving (issue 14) ----------
