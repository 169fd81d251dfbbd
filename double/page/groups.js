// ---------- groups (issue 15) ----------
// The group model as whatsapp-web.js 1.34.7 reads it (GroupChat.js, Client.createGroup/getCommonGroups,
// Utils.js getChatModel/setPicture/getAddParticipantsRpcResult/enforceLidAndPnRetrieval): a group's chat has
// `groupMetadata` (the model of WAWebCollections.GroupMetadata under the chat's id) with `participants`, a
// collection of {id, isAdmin, isSuperAdmin} keyed by the participant's id. The "server" side (create, add,
// remove, promote, demote, subject, description, properties, picture, exit) applies WhatsApp's rules as its FAQ
// states them: admins change participants and settings; with `restrict` only admins edit the info; nobody removes
// or demotes the creator; 1024 participants at most; when the last admin leaves, a participant becomes admin.
// Every change, the account's own included, adds a `gp2` notification message with its `subtype`, `author` and
// `recipients` to the group's chat, as the site does (wwebjs #71, #8033: `body` is the new subject for
// `subject`, empty otherwise); the library turns those into group_join/leave/admin_changed/update.
// Participants are phone ids (`…@c.us`) on every profile: LID-addressed groups are not modelled.
const GROUP_SIZE_LIMIT = 1024;
const INVITE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const newInviteCode = () => [...randomBytes(22)].map((byte) => INVITE_ALPHABET[byte % INVITE_ALPHABET.length]).join('');
// A small keyed collection of its own (participants, pending participants, past participants, requests).
class GroupParticipants extends Emitter {
  #byId = new Map();
  get(id) {
    return id == null ? undefined : this.#byId.get(String(id));
  }
  add(model) {
    this.#byId.set(String(model.id), model);
    this.trigger('add', model, this);
    return model;
  }
  remove(id) {
    const model = this.get(id);
    this.#byId.delete(String(id));
    if (model) this.trigger('remove', model, this);
    return model;
  }
  getModelsArray() {
    return [...this.#byId.values()];
  }
  get length() {
    return this.#byId.size;
  }
  serialize() {
    return this.getModelsArray().map((model) => model.serialize());
  }
}
class ParticipantModel extends Model {}
class GroupMetadataModel extends Model {
  constructor(attributes) {
    super(attributes);
    this.participants = new GroupParticipants();
    this.pendingParticipants = new GroupParticipants();
    this.pastParticipants = new GroupParticipants();
    this.membershipApprovalRequests = new GroupParticipants();
  }
  serialize() {
    return {
      ...super.serialize(),
      participants: this.participants.serialize(),
      pendingParticipants: this.pendingParticipants.serialize(),
      pastParticipants: this.pastParticipants.serialize(),
      membershipApprovalRequests: this.membershipApprovalRequests.serialize(),
    };
  }
}
const GroupMetadata = new Collection(GroupMetadataModel);
Object.assign(GroupMetadata, {
  async update() {}, // the real one refreshes from the server; the double's state is the server's
  find: async (wid) => GroupMetadata.get(createWid(wid)),
});
Object.defineProperty(ChatModel.prototype, 'groupMetadata', {
  get() {
    return GroupMetadata.get(this.id);
  },
  configurable: true,
});
ChatModel.prototype.iAmAdmin = function () {
  return Boolean(this.groupMetadata?.participants.get(me)?.isAdmin);
};

const groupParticipant = (meta, wid) => meta?.participants.get(createWid(wid));
const isGroupAdmin = (meta, wid) => Boolean(groupParticipant(meta, wid)?.isAdmin);
const addGroupParticipant = (meta, wid, rank = {}) =>
  meta.participants.add(
    new ParticipantModel({ id: createWid(wid), isAdmin: Boolean(rank.isAdmin), isSuperAdmin: Boolean(rank.isSuperAdmin) }),
  );
const setGroupSize = (meta) => meta.set('size', meta.participants.length);
// Someone in the group does something: the notification every member's page gets.
function notifyGroup(meta, subtype, { author, recipients = [], body = '' }) {
  const chat = findChat(meta.id);
  const t = nowSeconds();
  const msg = new MsgModel({
    id: new MsgKey({ fromMe: Boolean(author?.equals(me)), remote: meta.id, id: randomHex(10), participant: author }),
    type: 'gp2',
    subtype,
    body,
    author,
    recipients,
    from: meta.id,
    to: me,
    t,
    ack: 0,
    isNewMsg: true,
  });
  chat.addMessage(msg);
  return msg;
}
// A group on the "server": its metadata, its chat and its contact (the chat's title is the contact's name).
function newGroup({ subject, owner, participants = [], admins = [] }) {
  const id = createWid(`120363${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}@g.us`);
  const creation = nowSeconds();
  const meta = GroupMetadata.add(
    new GroupMetadataModel({
      id,
      creation,
      owner: createWid(owner),
      subject,
      subjectTime: creation,
      subjectOwner: createWid(owner),
      desc: '',
      descId: undefined,
      descOwner: undefined,
      restrict: false,
      announce: false,
      noFrequentlyForwarded: false,
      ephemeralDuration: 0,
      membershipApprovalMode: false,
      memberAddMode: 'all_member_add',
      size: 0,
      support: false,
      suspended: false,
      terminated: false,
      isLidAddressingMode: false,
      isParentGroup: false,
      inviteCode: newInviteCode(),
    }),
  );
  addGroupParticipant(meta, owner, { isAdmin: true, isSuperAdmin: true });
  for (const wid of participants) addGroupParticipant(meta, wid, { isAdmin: admins.includes(String(wid)) });
  setGroupSize(meta);
  findContact(id).set('name', subject);
  findChat(id).set('name', subject);
  return meta;
}
const groupOrThrow = (wid) => {
  const meta = GroupMetadata.get(createWid(wid));
  if (!meta) throw serverError(404); // item-not-found
  return meta;
};
const requireGroupMember = (meta) => {
  if (!groupParticipant(meta, me)) throw serverError(403); // forbidden: not a participant
};
const requireGroupAdmin = (meta) => {
  requireGroupMember(meta);
  if (!isGroupAdmin(meta, me)) throw serverError(401); // not-authorized
};
const requireInfoEditor = (meta) => (meta.restrict ? requireGroupAdmin(meta) : requireGroupMember(meta));
// WhatsApp chooses a new admin when the last one leaves (FAQ "How to exit and delete groups").
function keepAnAdmin(meta) {
  const participants = meta.participants.getModelsArray();
  if (participants.length && !participants.some((p) => p.isAdmin)) participants[0].set('isAdmin', true);
}
// The "server" applies a participant change by `author`; one notification lists everyone it changed.
function changeGroupParticipants(meta, action, wids, author) {
  const changed = [];
  for (const wid of wids.map(createWid)) {
    const participant = groupParticipant(meta, wid);
    if (action === 'add' || action === 'invite') {
      if (participant || meta.participants.length >= GROUP_SIZE_LIMIT) continue;
      addGroupParticipant(meta, wid);
    } else if (!participant || (participant.isSuperAdmin && (action === 'remove' || action === 'demote'))) {
      continue; // not in the group, or the creator, whom nobody else removes or demotes
    } else if (action === 'remove' || action === 'leave') {
      meta.participants.remove(wid);
      meta.pastParticipants.add(new ParticipantModel({ id: wid, leaveTs: nowSeconds() }));
    } else if (participant.isAdmin === (action === 'promote')) {
      continue; // already what it would become
    } else {
      participant.set('isAdmin', action === 'promote');
    }
    changed.push(wid);
  }
  if (!changed.length) return changed;
  setGroupSize(meta);
  if (action === 'remove' || action === 'leave') keepAnAdmin(meta);
  notifyGroup(meta, action, { author, recipients: changed });
  return changed;
}
function changeGroupInfo(meta, { subject, desc, announce, restrict }, author) {
  if (subject !== undefined) {
    meta.set({ subject, subjectTime: nowSeconds(), subjectOwner: author });
    findContact(meta.id).set('name', subject);
    findChat(meta.id).set('name', subject);
    notifyGroup(meta, 'subject', { author, body: subject });
  }
  if (desc !== undefined) {
    meta.set({ desc, descOwner: author, descTime: nowSeconds() });
    notifyGroup(meta, 'description', { author });
  }
  if (announce !== undefined && meta.announce !== announce) {
    meta.set('announce', announce);
    notifyGroup(meta, 'announce', { author, body: announce ? 'on' : 'off' });
  }
  if (restrict !== undefined && meta.restrict !== restrict) {
    meta.set('restrict', restrict);
    notifyGroup(meta, 'restrict', { author, body: restrict ? 'on' : 'off' });
  }
}
