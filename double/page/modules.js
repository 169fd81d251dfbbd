// ---------- the modules whatsapp-web.js 1.34.7 asks for ----------
class OpaqueData {
  constructor(blob) {
    this.blob = blob;
    this.type = blob.type;
  }
  static async createFromData(data, mimetype) {
    return new OpaqueData(data instanceof Blob ? data : new Blob([data], { type: mimetype }));
  }
  url() {
    return (this.objectUrl ??= URL.createObjectURL(this.blob));
  }
  autorelease() {}
}

class MediaData {
  // the result of media preparation: a bag of attributes with set()/toJSON()
  constructor(attributes) {
    Object.assign(this, attributes);
  }
  set(attributes) {
    Object.assign(this, attributes);
  }
  toJSON() {
    return { ...this };
  }
}

const mediaObjects = new Map();

const modules = {
  // auth (src/util/Injected/AuthStore/AuthStore.js, Client.inject)
  WAWebSocketModel: { Socket },
  WAWebCmd: { Cmd },
  WAWebConnModel: { Conn },
  WAWebOfflineHandler: { OfflineMessageHandler: { getOfflineDeliveryProgress: () => 100 } },
  WAWebAltDeviceLinkingApi: AltDeviceLinkingApi,
  WABase64: { encodeB64: toBase64 },
  WAWebCompanionRegClientUtils: { DEVICE_PLATFORM: 'Chrome' },
  WAWebAdvSignatureApi: {},
  WAWebUserPrefsInfoStore: { waNoiseInfo: { get: async () => ({ staticKeyPair: { pubKey: noiseKey } }) } },
  WAWebSignalStoreApi: { waSignalStore: { getRegistrationInfo: async () => ({ identityKeyPair: { pubKey: identityKey } }) } },
  WAWebUserPrefsMultiDevice: { getADVSecretKey: () => advSecretKey },
  WAWebMiscBrowserUtils: { info: () => ({ name: 'Chrome', version: '120', os: 'Linux' }) },
  WAWebUserPrefsMeUser: {
    getMaybeMePnUser: () => me,
    getMaybeMeLidUser: () => (profile.lid && me ? createWid(`${lidUserOf(me.user)}@lid`) : null),
  },

  // present but empty: the library patches functions on them only when they exist
  WAWebBackendJobsCommon: {},
  WAWebE2EProtoUtils: {},
  WAWebAddonReactionTableMode: {},
  WAWebAddonPollVoteTableMode: {},
  WAWebCallCollection: {},
  WAWebSyncGatingUtils: {},

  // chats, contacts, messages
  WAWebCollections: { Msg, Chat, Contact, Blocklist },
  WAWebWidFactory: { createWid, createWidFromWidLike: createWid, asUserWidOrThrow: createWid },
  WAWebFindChatAction: { findOrCreateLatestChat: async (wid) => ({ chat: findChat(addressOf(wid)) }) },
  WAWebChatGetters: { getIsNewsletter: (chat) => chat.id.isNewsletter(), getIsBroadcast: (chat) => chat.id.isBroadcast() },
  WALinkify: {
    findLinks: (text) => (String(text ?? '').match(/https?:\/\/\S+/g) ?? []).map((href) => ({ href })),
    findLink: (text) => modules.WALinkify.findLinks(text)[0] ?? null,
  },
  WAWebLinkPreviewChatAction: { getLinkPreview: async () => null }, // no previews offline
  WAWebMsgKey: MsgKey,
  WAWebGetEphemeralFieldsMsgActionsUtils: { getEphemeralFields: () => ({}) },
  WAWebSendMsgChatAction: {
    addAndSendMsgToChat(chat, message) {
      const msg = new MsgModel(message);
      // misindexSent: the page files the message under another key, as it does for some LID/phone pairs
      // (wwebjs PR #201839): it goes out, but the library cannot read it back.
      chat.addMessage(msg, config.misindexSent ? `${msg.id}_sibling` : undefined);
      sent.push(msg);
      if (config.auto) autoAnswer(msg);
      // The site stores a message before it hands it back (and sends it): once the library has it, it is on disk.
      const stored = keepSent(keptRecord(msg));
      return [stored.then(() => msg), stored.then(() => ({ messageSendResult: 'OK' }))];
    },
  },
  WAWebStreamModel: { Stream: { markAvailable() {}, markUnavailable() {} } },
  WAWebUpdateUnreadChatAction: {
    async sendSeen({ chat }) {
      seen.push({ chatId: chat.id._serialized, at: Date.now() });
      chat.set('unreadCount', 0);
    },
  },
  WAWebChatStateBridge: {
    sendChatStateComposing: async (wid) => void typing.push({ chatId: addressOf(wid)._serialized, state: 'typing', at: Date.now() }),
    sendChatStateRecording: async (wid) => void typing.push({ chatId: addressOf(wid)._serialized, state: 'recording', at: Date.now() }),
    sendChatStatePaused: async (wid) => void typing.push({ chatId: addressOf(wid)._serialized, state: 'stop', at: Date.now() }),
  },
  WAWebQueryExistsJob: {
    async queryWidExists(wid) {
      if (isUnknownNumber(wid)) return null;
      if (profile.lid && wid.server === 'c.us') learnLid(wid.user); // the query teaches the page the LID
      return { wid, biz: false, lid: currentLid(wid) };
    },
  },
  WAWebContactGetters: {
    getIsMe: (c) => c.id.equals(me),
    getIsUser: (c) => c.id.isUser(),
    getIsGroup: (c) => c.id.isGroup(),
    getIsWAContact: (c) => !isUnknownNumber(c.id),
    getUserid: (c) => c.id.user,
    getVerifiedName: (c) => c.verifiedName,
    getVerifiedLevel: (c) => c.verifiedLevel,
    getStatusMute: (c) => c.statusMute,
    getName: (c) => c.name,
    getShortName: (c) => c.shortName,
    getPushname: (c) => c.pushname,
    getIsEnterprise: (c) => c.isEnterprise,
  },
  WAWebFrontendContactGetters: { getIsMyContact: () => false },
  WAWebApiContact: {
    getCurrentLid: (wid) => currentLid(createWid(wid)),
    getPhoneNumber: (wid) => phoneNumberOf(createWid(wid)),
    getAlternateUserWid: (wid) => (createWid(wid).server === 'lid' ? phoneNumberOf(createWid(wid)) : currentLid(createWid(wid))) ?? null,
  },
  WAWebContactStatusBridge: {
    getStatus: async ({ wid }) => (isUnknownNumber(wid) ? {} : { status: 'Hey there! I am using WhatsApp.' }),
  },
  WAWebContactProfilePicThumbBridge: {
    async requestProfilePicFromServer(chat) {
      if (isUnknownNumber(chat.id)) throw serverError(404);
      return { tag: '1', eurl: `https://pps.whatsapp.net/v/t61.24694-24/double_${chat.id.user}.jpg?oh=double` };
    },
  },

  // media: sending (WWebJS.processMediaData) and downloading (Message.downloadMedia)
  WAWebMediaOpaqueData: OpaqueData,
  WAWebPrepRawMedia: {
    prepRawMedia(opaqueData, { asDocument, isPtt, asGif }) {
      return {
        async waitForPrep() {
          const bytes = new Uint8Array(await opaqueData.blob.arrayBuffer());
          let type = asDocument ? 'document' : mediaTypeOf(opaqueData.type);
          if (type === 'audio' && isPtt) type = 'ptt';
          return new MediaData({
            type,
            mimetype: opaqueData.type,
            filename: opaqueData.blob.name,
            size: bytes.length,
            filehash: await sha256(bytes),
            isGif: Boolean(asGif && type === 'video'),
            mediaBlob: opaqueData,
          });
        },
      };
    },
  },
  WAWebMediaStorage: {
    getOrCreateMediaObject(filehash) {
      if (!mediaObjects.has(filehash)) {
        mediaObjects.set(filehash, {
          filehash,
          contentInfo: {},
          consolidate(data) {
            Object.assign(this, data);
          },
        });
      }
      return mediaObjects.get(filehash);
    },
  },
  WAWebMmsMediaTypes: { msgToMediaType: ({ type }) => type, castToV4: (type) => type },
  WAWebMediaDataUtils: { shouldUseMediaCache: () => false },
  WAWebMediaMmsV4Upload: {
    async uploadMedia({ mediaObject }) {
      return { mediaEntry: upload(new Uint8Array(await mediaObject.mediaBlob.blob.arrayBuffer())) };
    },
  },
  WAWebDownloadManager: {
    downloadManager: {
      async downloadAndMaybeDecrypt({ directPath }) {
        const bytes = mediaServer.get(directPath);
        if (!bytes) throw Object.assign(new Error('media not found'), { status: 404 });
        return bytes.slice().buffer;
      },
    },
  },
};

window.require = (name) => {
  if (Object.hasOwn(modules, name)) return modules[name];
  missing.push(name);
  const error = new Error(`WhatsApp Web double: module not provided: ${name}`);
  console.error(error.message);
  throw error;
};
