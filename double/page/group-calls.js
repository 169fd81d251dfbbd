// ---------- groups (issue 15), continued: the modules the library calls, pictures, and the harness ----------
// The newest picture of a chat (WAWebCollections.ProfilePicThumb): who may set it, and what was set.
class ProfilePicThumbModel extends Model {
  canSet() {
    const meta = GroupMetadata.get(this.id);
    if (!meta) return this.id.equals(me);
    return Boolean(groupParticipant(meta, me)) && (!meta.restrict || isGroupAdmin(meta, me));
  }
  canDelete() {
    return this.canSet() && Boolean(this.img);
  }
}
const ProfilePicThumb = new Collection(ProfilePicThumbModel);
const pictureOf = (wid) =>
  ProfilePicThumb.get(createWid(wid)) ??
  ProfilePicThumb.add(new ProfilePicThumbModel({ id: createWid(wid), img: undefined, tag: undefined }));
Object.assign(ProfilePicThumb, { find: async (wid) => pictureOf(wid) });
const pictureUploads = []; // what sendSetPicture received, for the harness
const commonGroupsAsked = new Set(); // contacts whose common groups the page fetched (then kept up to date)
Object.defineProperty(ContactModel.prototype, 'commonGroups', {
  get() {
    if (!commonGroupsAsked.has(String(this.id))) return undefined;
    const groups = GroupMetadata.getModelsArray().filter((meta) => groupParticipant(meta, me) && groupParticipant(meta, this.id));
    return { serialize: () => groups.map((meta) => ({ id: meta.id, subject: meta.subject })) };
  },
  configurable: true,
});

Object.assign(modules.WAWebCollections, { GroupMetadata, ProfilePicThumb });
Object.assign(modules.WAWebContactProfilePicThumbBridge, {
  async sendSetPicture(chatWid, thumbnail, profilePic) {
    const meta = GroupMetadata.get(createWid(chatWid));
    if (meta) requireInfoEditor(meta);
    const tag = String(Date.now());
    pictureOf(chatWid).set({ img: `https://pps.whatsapp.net/v/t61.24694-24/double_${createWid(chatWid).user}_${tag}.jpg`, tag });
    pictureUploads.push({ chatId: createWid(chatWid)._serialized, thumbnail, profilePic });
    if (meta) notifyGroup(meta, 'picture', { author: me });
    return { status: 200, eurl: pictureOf(chatWid).img, tag };
  },
});
Object.assign(modules, {
  WAWebLidMigrationUtils: {
    toPn: (wid) => (createWid(wid).server === 'lid' ? (phoneNumberOf(createWid(wid)) ?? null) : createWid(wid)),
  },
  WAWebGroupCreateJob: {
    async createGroup({ title }, participantArgs) {
      const meta = newGroup({ subject: title, owner: me });
      const participants = participantArgs.map(({ phoneNumber }) => {
        const wid = createWid(phoneNumber);
        if (isUnknownNumber(wid)) return { wid, error: '404' };
        if (meta.participants.length >= GROUP_SIZE_LIMIT) return { wid, error: '419' };
        addGroupParticipant(meta, wid);
        return { wid, type: 'participant' };
      });
      setGroupSize(meta);
      return { wid: meta.id, subject: title, participants };
    },
  },
  WAWebGroupQueryJob: {
    async queryAndUpdateGroupMetadataById({ id }) {
      requireGroupMember(groupOrThrow(id));
    },
  },
  WAWebWidToJid: {
    widToGroupJid: (wid) => `${createWid(wid).user}@g.us`,
    widToUserJid: (wid) => `${createWid(wid).user}@s.whatsapp.net`,
  },
  WASmaxGroupsAddParticipantsRPC: {
    // One participant per call, as the library sends it; the answer's shape is the one getAddParticipantsRpcResult reads.
    async sendAddParticipantsRPC({ participantArgs, iqTo }) {
      const meta = GroupMetadata.get(createWid(iqTo));
      if (!meta || !groupParticipant(meta, me)) return clientError(404);
      if (!isGroupAdmin(meta, me)) return clientError(401);
      const wid = createWid(participantArgs[0].participantJid);
      let error;
      if (isUnknownNumber(wid)) error = '404';
      else if (groupParticipant(meta, wid)) error = '409';
      else if (meta.participants.length >= GROUP_SIZE_LIMIT) error = '419';
      else changeGroupParticipants(meta, 'add', [wid], me);
      const mixin = { name: error ? 'ParticipantNotAdded' : 'ParticipantAdded', value: error ? { error } : {} };
      return {
        name: 'AddParticipantsResponseSuccess',
        value: {
          addParticipant: [
            {
              addParticipantsParticipantAddedOrNonRegisteredWaUserParticipantErrorLidResponseMixinGroup: {
                value: { addParticipantsParticipantMixins: mixin },
              },
            },
          ],
        },
      };
    },
  },
  WAWebModifyParticipantsGroupAction: {
    removeParticipants: async (chat, participants) => modifyParticipants(chat, 'remove', participants),
    promoteParticipants: async (chat, participants) => modifyParticipants(chat, 'promote', participants),
    demoteParticipants: async (chat, participants) => modifyParticipants(chat, 'demote', participants),
  },
  WAWebGroupModifyInfoJob: {
    async setGroupSubject(wid, subject) {
      const meta = groupOrThrow(wid);
      requireInfoEditor(meta);
      changeGroupInfo(meta, { subject }, me);
    },
    async setGroupDescription(wid, desc, newId, descId) {
      const meta = groupOrThrow(wid);
      requireInfoEditor(meta);
      if (descId !== meta.descId) throw serverError(409); // conflict: the description changed meanwhile
      meta.set('descId', newId);
      changeGroupInfo(meta, { desc }, me);
    },
  },
  WAWebSetPropertyGroupAction: {
    async setGroupProperty(chat, property, value) {
      const meta = groupOrThrow(chat.id);
      requireGroupAdmin(meta);
      if (property === 'announcement') changeGroupInfo(meta, { announce: Boolean(value) }, me);
      else if (property === 'restrict') changeGroupInfo(meta, { restrict: Boolean(value) }, me);
      else if (property === 'member_add_mode') meta.set('memberAddMode', value ? 'all_member_add' : 'admin_add');
      else throw serverError(400);
    },
  },
  WAWebExitGroupAction: {
    async sendExitGroup(chat) {
      const meta = groupOrThrow(chat.id);
      requireGroupMember(meta);
      changeGroupParticipants(meta, 'leave', [me], me);
    },
  },
  WAWebMexFetchGroupInviteCodeJob: {
    async fetchMexGroupInviteCode(groupId) {
      const meta = groupOrThrow(groupId);
      requireGroupAdmin(meta);
      return { code: meta.inviteCode };
    },
  },
  WAWebFindCommonGroupsContactAction: {
    async findCommonGroups(contact) {
      commonGroupsAsked.add(String(contact.id));
      return true;
    },
  },
});
const clientError = (code) => ({
  name: 'AddParticipantsResponseClientError',
  value: { errorAddParticipantsClientErrors: { value: { code: String(code) } } },
});
function modifyParticipants(chat, action, participants) {
  const meta = groupOrThrow(chat.id);
  requireGroupAdmin(meta);
  changeGroupParticipants(
    meta,
    action,
    participants.map((participant) => participant.id),
    me,
  );
}
// The harness: groups made by others, what others do in them, and what the page holds.
const groupState = (meta) => ({
  id: meta.id._serialized,
  subject: meta.subject,
  desc: meta.desc,
  owner: meta.owner?._serialized,
  announce: meta.announce,
  restrict: meta.restrict,
  inviteCode: meta.inviteCode,
  participants: meta.participants.getModelsArray().map((p) => ({ id: p.id._serialized, isAdmin: p.isAdmin, isSuperAdmin: p.isSuperAdmin })),
});
Object.assign(window.WADouble, {
  makeGroup({ subject, owner, participants = [], admins = [] }) {
    return newGroup({ subject, owner, participants, admins }).id._serialized;
  },
  groupState: (groupId) => {
    const meta = GroupMetadata.get(createWid(groupId));
    return meta ? groupState(meta) : null;
  },
  // Someone else (`by`) adds, removes, promotes or demotes; or `participants` join by link or leave.
  groupAction({ groupId, action, participants, by }) {
    const meta = groupOrThrow(groupId);
    const subtype = action === 'join' ? 'invite' : action;
    // A join by link names nobody who did it (wwebjs #71: `author` is unset for invite); a leave is the leaver's own.
    const author = action === 'join' ? undefined : createWid(by ?? participants[0]);
    return changeGroupParticipants(meta, subtype, participants, author).map((wid) => wid._serialized);
  },
  // Someone else (`by`) changes the name, description or settings.
  groupChange({ groupId, by, subject, desc, announce, restrict }) {
    changeGroupInfo(groupOrThrow(groupId), { subject, desc, announce, restrict }, createWid(by));
  },
  pictureUploads: () => pictureUploads.map(({ chatId, thumbnail, profilePic }) => ({ chatId, thumbnail, profilePic })),
});
// ---------- end of groups (issue 15) ----------
