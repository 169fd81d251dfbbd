// ---------- group invites (issue 15) ----------
// Invite codes, the invite query, joining by code and membership requests, as whatsapp-web.js 1.34.7 reaches
// them (Client.getInviteInfo/acceptInvite, GroupChat.revokeInvite, Client.getGroupMembershipRequests, Utils.js
// membershipRequestAction), on the groups model above. The "server" follows what public clients read of
// WhatsApp's answers: an unknown code is 406 and a revoked one 410 (whatsmeow GetGroupInfoFromLink/JoinWithLink);
// the query tells the group's metadata, its size and only its admins among the participants (Baileys #416,
// wppconnect #2525); joining a group in approval mode files a membership request instead (whatsmeow: the answer
// is a `membership_approval_request`); a full group refuses a join with 419, its resource limit. A request
// someone makes adds a `gp2` message of subtype `membership_approval_request` authored by them, which the library
// emits as group_membership_request; an admin's approval adds them (an `add` notification), a rejection drops it.
const revokedInviteCodes = new Set();
const groupByInviteCode = (code) => GroupMetadata.getModelsArray().find((meta) => meta.inviteCode === code);
const inviteTarget = (code) => {
  const meta = groupByInviteCode(code);
  if (!meta) throw serverError(revokedInviteCodes.has(code) ? 410 : 406); // gone, or not-acceptable
  return meta;
};
// The library reads `_models` of the requests when it is given no requester (Utils.js membershipRequestAction).
Object.defineProperty(GroupParticipants.prototype, '_models', {
  get() {
    return this.getModelsArray();
  },
  configurable: true,
});
// The group's admins are told (a `gp2` message); the requester is not in the group, so its own page hears nothing.
function fileMembershipRequest(meta, wid, requestMethod = 'InviteLink', addedBy = wid) {
  meta.membershipApprovalRequests.add(new ParticipantModel({ id: wid, addedBy, parentGroupId: null, requestMethod, t: nowSeconds() }));
  if (isGroupAdmin(meta, me)) notifyGroup(meta, 'membership_approval_request', { author: wid });
}
Object.assign(modules.WAWebGroupQueryJob, {
  async queryGroupInvite(code) {
    const meta = inviteTarget(code);
    const admins = meta.participants.getModelsArray().filter((p) => p.isAdmin);
    return {
      ...meta.serialize(),
      participants: admins.map((p) => ({ id: p.id, isAdmin: true, isSuperAdmin: p.isSuperAdmin })),
      pendingParticipants: undefined,
      pastParticipants: undefined,
      membershipApprovalRequests: undefined,
      inviteCode: undefined,
    };
  },
  async resetGroupInviteCode(wid) {
    const meta = groupOrThrow(wid);
    requireGroupAdmin(meta);
    revokedInviteCodes.add(meta.inviteCode);
    meta.set('inviteCode', newInviteCode());
    return { code: meta.inviteCode };
  },
});
Object.assign(modules, {
  WAWebGroupInviteJob: {
    async joinGroupViaInvite(code) {
      const meta = inviteTarget(code);
      if (!groupParticipant(meta, me)) {
        if (meta.participants.length >= GROUP_SIZE_LIMIT) throw serverError(419); // resource-limit
        if (meta.membershipApprovalMode) fileMembershipRequest(meta, me);
        else changeGroupParticipants(meta, 'invite', [me], me);
      }
      return { gid: meta.id };
    },
  },
  WAWebApiMembershipApprovalRequestStore: {
    async getMembershipApprovalRequests(groupWid) {
      const meta = GroupMetadata.get(createWid(groupWid));
      return meta ? meta.membershipApprovalRequests.serialize() : [];
    },
  },
  WASmaxGroupsMembershipRequestsActionRPC: {
    // One requester per call, as the library sends them; the answer's shape is the one it reads.
    async sendMembershipRequestsActionRPC({ iqTo, approveArgs, rejectArgs }) {
      const meta = GroupMetadata.get(createWid(iqTo));
      if (!meta || !isGroupAdmin(meta, me)) return { name: 'MembershipRequestsActionResponseClientError', value: {} };
      const approve = Boolean(approveArgs);
      const jid = (approveArgs ?? rejectArgs).participantArgs[0].participantJid;
      const wid = createWid(jid);
      let error;
      // 404: ParticipantRequestNotFoundError; 500: ParticipantResourceConstraintError (the library's names)
      if (!meta.membershipApprovalRequests.get(wid)) error = '404';
      else if (approve && meta.participants.length >= GROUP_SIZE_LIMIT) error = '500';
      else {
        meta.membershipApprovalRequests.remove(wid);
        if (approve) changeGroupParticipants(meta, 'add', [wid], me);
      }
      const mixins = error ? { value: { error } } : undefined;
      const participant = approve
        ? { jid, membershipRequestsActionAcceptParticipantMixins: mixins }
        : { jid, membershipRequestsActionRejectParticipantMixins: mixins };
      const key = approve ? 'membershipRequestsActionApprove' : 'membershipRequestsActionReject';
      return { name: 'MembershipRequestsActionResponseSuccess', value: { [key]: { participant: [participant] } } };
    },
  },
  WAWebJidToWid: { userJidToUserWid: (jid) => createWid(jid) },
});
// The harness: approval mode (switched on a phone: the library has no call for it), and people asking to join.
Object.assign(window.WADouble, {
  setMembershipApproval({ groupId, on }) {
    groupOrThrow(groupId).set('membershipApprovalMode', Boolean(on));
  },
  askToJoin({ groupId, requester }) {
    const meta = groupOrThrow(groupId);
    const wid = createWid(requester);
    if (groupParticipant(meta, wid) || meta.membershipApprovalRequests.get(wid)) return false;
    fileMembershipRequest(meta, wid);
    return true;
  },
  membershipRequestsOf: (groupId) =>
    groupOrThrow(groupId)
      .membershipApprovalRequests.getModelsArray()
      .map((request) => request.id._serialized),
});
// ---------- end of group invites (issue 15) ----------
