// ---------- contacts and account (issue 15) ----------
// What whatsapp-web.js 1.34.7 calls for the contact list (WWebJS.getContacts/getContactModel), the blocklist
// (Client.getBlockedContacts, Contact.block/unblock), LID <-> phone (Client.getContactLidAndPhone, through the
// WAWebApiContact and WAWebQueryExistsJob above) and the own profile (Client.setDisplayName, setStatus,
// setProfilePicture, deleteProfilePicture). The module and member names are the library's (src/Client.js,
// src/structures/Contact.js, src/util/Injected/Utils.js); what they answer follows how the library reads them
// (`res.status === 200`, `canSet()`, `canDelete()`, `ServerStatusCodeError`), not a capture of the real site.
// The account starts with the about text of everyone, and with a picture (as every number on the double has one).
const own = { about: 'Hey there! I am using WhatsApp.' };
Object.defineProperty(ContactModel.prototype, 'isContactBlocked', {
  get() {
    return Boolean(Blocklist.get(this.id));
  },
});
Object.assign(ConnModel.prototype, { canSetMyPushname: () => true });
// The account's picture is its ProfilePicThumb model (group-calls.js), as any chat's: `tag` and `img` (its URL), none
// once deleted. That model's canSet()/canDelete() already answer for the account (its own id, while it has a picture).
let ownPictureTags = 0; // pictures the account has had: a new one gets the next tag
const ownPicture = () => (me ? ProfilePicThumb.get(me) : undefined);
const newOwnPicture = () => {
  const tag = String((ownPictureTags += 1));
  return pictureOf(me).set({ tag, img: `https://pps.whatsapp.net/v/t61.24694-24/double_me_${tag}.jpg?oh=double` });
};
Socket.on('change:state', () => {
  if (Socket.state === 'CONNECTED' && !ownPicture()) newOwnPicture();
});
const otherPicture = modules.WAWebContactProfilePicThumbBridge.requestProfilePicFromServer;
const groupPicture = modules.WAWebContactProfilePicThumbBridge.sendSetPicture; // group-calls.js's
const otherStatus = modules.WAWebContactStatusBridge.getStatus;
Object.assign(modules.WAWebContactProfilePicThumbBridge, {
  async requestProfilePicFromServer(chat) {
    if (!chat.id.equals(me)) return otherPicture(chat);
    if (!ownPicture()?.img) throw serverError(404);
    return { tag: ownPicture().tag, eurl: ownPicture().img };
  },
  async sendSetPicture(wid, thumbnail, picture) {
    if (!createWid(wid).equals(me)) return groupPicture(wid, thumbnail, picture);
    if (!String(thumbnail).startsWith('data:image/jpeg') || !String(picture).startsWith('data:image/jpeg')) {
      throw new Error('WhatsApp Web double: a profile picture is a JPEG data URL');
    }
    const { tag, img } = newOwnPicture();
    return { status: 200, tag, eurl: img };
  },
  async requestDeletePicture(wid) {
    if (!createWid(wid).equals(me) || !ownPicture()?.img) throw serverError(404);
    ownPicture().set({ tag: undefined, img: undefined });
    return { status: 200 };
  },
});
Object.assign(modules.WAWebContactStatusBridge, {
  getStatus: async ({ wid }) => (createWid(wid).equals(me) ? { status: own.about } : otherStatus({ wid })),
  setMyStatus: async (status) => void (own.about = status),
});
Object.assign(modules, {
  WAWebSetPushnameConnAction: { setPushname: async (name) => void Conn.set('pushname', name) },
  WAWebBlockContactUtils: { getContactToBlockOnlyUseIfNoAssociatedChat: (contact) => contact },
  WAWebBlockContactAction: {
    async blockContact({ contact }) {
      Blocklist.add(new Model({ id: contact.id }));
    },
    async unblockContact(contact) {
      Blocklist.remove(contact.id);
    },
  },
});
modules.WAWebFrontendContactGetters.getIsMyContact = (contact) => Boolean(contact.isAddressBookContact);
Object.assign(window.WADouble, {
  saveContact({ phone, name }) {
    findContact(`${phone}@c.us`).set({ name, isAddressBookContact: true });
  },
  blockedIds: () => Blocklist.getModelsArray().map((model) => model.id.toString()),
  ownProfile: () => ({ pushname: Conn.pushname, about: own.about, pictureTag: ownPicture()?.tag ?? null }),
});
// ---------- end of contacts and account (issue 15) ----------
