// ---------- contacts and account (issue 15) ----------
// What whatsapp-web.js 1.34.7 calls for the contact list (WWebJS.getContacts/getContactModel), the blocklist
// (Client.getBlockedContacts, Contact.block/unblock), LID <-> phone (Client.getContactLidAndPhone, through the
// WAWebApiContact and WAWebQueryExistsJob above) and the own profile (Client.setDisplayName, setStatus,
// setProfilePicture, deleteProfilePicture). The module and member names are the library's (src/Client.js,
// src/structures/Contact.js, src/util/Injected/Utils.js); what they answer follows how the library reads them
// (`res.status === 200`, `canSet()`, `canDelete()`, `ServerStatusCodeError`), not a capture of the real site.
// The account starts with a picture (as every number on the double has one) and the about text of everyone.
const own = { about: 'Hey there! I am using WhatsApp.', picture: { tag: '1' }, pictures: 1 };
Object.defineProperty(ContactModel.prototype, 'isContactBlocked', {
  get() {
    return Boolean(Blocklist.get(this.id));
  },
});
// The groups section's ProfilePicThumb decides who may set a picture; the account's own can be deleted while it has one.
const groupPictureCanDelete = ProfilePicThumbModel.prototype.canDelete;
ProfilePicThumbModel.prototype.canDelete = function () {
  return this.id.equals(me) ? own.picture !== null : groupPictureCanDelete.call(this);
};
Object.assign(ConnModel.prototype, { canSetMyPushname: () => true });
const ownPictureUrl = () => `https://pps.whatsapp.net/v/t61.24694-24/double_me_${own.picture.tag}.jpg?oh=double`;
const otherPicture = modules.WAWebContactProfilePicThumbBridge.requestProfilePicFromServer;
const groupPicture = modules.WAWebContactProfilePicThumbBridge.sendSetPicture; // the groups section's
const otherStatus = modules.WAWebContactStatusBridge.getStatus;
Object.assign(modules.WAWebContactProfilePicThumbBridge, {
  async requestProfilePicFromServer(chat) {
    if (!chat.id.equals(me)) return otherPicture(chat);
    if (!own.picture) throw serverError(404);
    return { tag: own.picture.tag, eurl: ownPictureUrl() };
  },
  async sendSetPicture(wid, thumbnail, picture) {
    if (!createWid(wid).equals(me)) return groupPicture(wid, thumbnail, picture);
    if (!String(thumbnail).startsWith('data:image/jpeg') || !String(picture).startsWith('data:image/jpeg')) {
      throw new Error('WhatsApp Web double: a profile picture is a JPEG data URL');
    }
    own.pictures += 1;
    own.picture = { tag: String(own.pictures), bytes: picture.length };
    return { status: 200, tag: own.picture.tag, eurl: ownPictureUrl() };
  },
  async requestDeletePicture(wid) {
    if (!createWid(wid).equals(me) || !own.picture) throw serverError(404);
    own.picture = null;
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
  ownProfile: () => ({ pushname: Conn.pushname, about: own.about, pictureTag: own.picture?.tag ?? null }),
});
// ---------- end of contacts and account (issue 15) ----------
