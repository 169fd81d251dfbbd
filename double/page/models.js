// ---------- models ----------
class MsgModel extends Model {
  constructor(attributes) {
    super(attributes);
    if (this.directPath) {
      this.mediaObject = { type: this.type, filehash: this.filehash };
      this.mediaData = { mediaStage: this.id.fromMe ? 'RESOLVED' : 'INIT' };
    }
  }
  async downloadMedia() {
    this.mediaData.mediaStage = mediaServer.has(this.directPath) ? 'RESOLVED' : 'ERROR_MISSING';
  }
  unsafe() {
    return this;
  }
}

class ContactModel extends Model {
  get isContactBlocked() {
    return false;
  }
  get phoneNumber() {
    return phoneNumberOf(this.id);
  }
}

class ChatModel extends Model {
  constructor(attributes) {
    super(attributes);
    this.msgs = new Collection(MsgModel);
    this.mute = new ChatMuteModel(); // chats (issue 15)
  }
  get formattedTitle() {
    return Contact.get(this.id)?.name ?? `+${this.id.user}`; // an unsaved contact shows its number
  }
  // Like the real chat model: its messages travel with it, and it remembers the key of its last message.
  serialize() {
    return { ...super.serialize(), msgs: this.msgs.getModelsArray().map((msg) => msg.serialize()) };
  }
  addMessage(msg, indexAs) {
    Msg.add(msg, indexAs);
    this.msgs.add(msg);
    this.set({ t: msg.t, lastReceivedKey: msg.id });
  }
}

const Msg = new Collection(MsgModel);
const Chat = new Collection(ChatModel);
const Contact = new Collection(ContactModel);
const Blocklist = new Collection(Model); // nobody is blocked
Object.assign(Msg, {
  async getMessagesById(ids) {
    if (ids.some((id) => id == null)) throw minifiedLookupError();
    return { messages: ids.map((id) => Msg.get(id)).filter(Boolean) };
  },
});
const findContact = (wid) => {
  wid = createWid(wid);
  return (
    Contact.get(wid) ??
    Contact.add(
      new ContactModel({
        id: wid,
        name: undefined,
        pushname: wid.equals(me) ? Conn.pushname : `Contact ${wid.user}`,
        shortName: undefined,
        type: 'in',
        isBusiness: false,
        isEnterprise: false,
        labels: [],
        statusMute: false,
      }),
    )
  );
};
const findChat = (wid) => {
  wid = createWid(wid);
  return (
    Chat.get(wid) ??
    Chat.add(
      new ChatModel({
        id: wid,
        t: nowSeconds(),
        unreadCount: 0,
        archive: false,
        pin: 0,
        isLocked: false,
        isReadOnly: false,
        muteExpiration: 0,
      }),
    )
  );
};
// ---------- LID addressing (profile 2026-07-lid) ----------
// Every account has a LID, a number that hides its phone number. On this profile people's chats and
// messages are addressed by LID. The page knows a LID's phone number only once it has learned the mapping
// (a number check, or a message from someone who shares their number), like WAWebApiContact on the real site.
const lidUserOf = (phoneUser) => `2${phoneUser.padStart(14, '0').split('').reverse().join('')}`;
const phoneByLid = new Map(); // LID user -> phone user, once learned
const learnLid = (phoneUser) => {
  if (config.noLidFor.includes(phoneUser) || phoneByLid.get(lidUserOf(phoneUser)) === phoneUser) return;
  phoneByLid.set(lidUserOf(phoneUser), phoneUser);
  void keptTransaction((_, lids) => [lids.put(phoneUser, phoneUser)]);
};
const currentLid = (wid) =>
  profile.lid && wid.server === 'c.us' && phoneByLid.get(lidUserOf(wid.user)) === wid.user
    ? createWid(`${lidUserOf(wid.user)}@lid`)
    : undefined;
const phoneNumberOf = (wid) => {
  const user = wid.server === 'lid' ? phoneByLid.get(wid.user) : undefined;
  return user ? createWid(`${user}@c.us`) : undefined;
};
// Where WhatsApp Web addresses a person: their LID chat on this profile. A phone number whose LID the
// page does not know yet fails inside findOrCreateLatestChat with "No LID for user" (OpenWA #156).
const addressOf = (wid) => {
  wid = createWid(wid);
  if (!profile.lid || wid.server !== 'c.us' || wid.equals(me)) return wid;
  const lid = currentLid(wid);
  if (!lid) throw new Error('No LID for user');
  return lid;
};
// An incoming message's sender: on the LID profile a person writes from their LID.
const senderOf = (from, hidePhone) => {
  const wid = createWid(from);
  if (!profile.lid || wid.server !== 'c.us') return wid;
  if (!hidePhone) learnLid(wid.user);
  return createWid(`${lidUserOf(wid.user)}@lid`);
};

Object.assign(Contact, { find: async (wid) => findContact(wid) });
Object.assign(Chat, { find: async (wid) => findChat(wid) });

// ---------- sent messages across page loads (KEPT_DB) ----------
const keptRecord = (msg) => ({
  remote: msg.id.remote.toString(),
  id: msg.id.id,
  from: msg.from.toString(),
  to: msg.to.toString(),
  t: msg.t,
  type: msg.type,
  ack: msg.ack, // as it was sent
  ...(msg.type === 'chat' ? { body: msg.body } : { caption: msg.caption, mimetype: msg.mimetype, filename: msg.filename, size: msg.size }),
  ...sentKindFields(msg), // slice "sending kinds", below
});
// Back in their chats' `msgs` (and in Msg) before a stored account connects, with keys made by this page load's
// MsgKey, before anything could mend them, as on the real site; not new, so the library emits nothing for them.
async function restoreKept() {
  const [records, phoneUsers] = await keptTransaction((sentStore, lids) => [sentStore.getAll(), lids.getAllKeys()]);
  for (const phoneUser of phoneUsers) phoneByLid.set(lidUserOf(phoneUser), phoneUser);
  for (const { remote, id, from, to, ...fields } of records) {
    const key = new MsgKey({ fromMe: true, remote, id });
    const msg = new MsgModel({ ...fields, id: key, from: createWid(from), to: createWid(to), self: 'out', isNewMsg: false });
    findChat(key.remote).addMessage(msg);
  }
}
