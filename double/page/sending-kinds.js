// ---------- slice "sending kinds" (issue 14): replies, mentions, locations, polls, contact cards, stickers ----------
// What the site does with what whatsapp-web.js 1.34.7's sendMessage hands it (src/util/Injected/Utils.js): the
// library builds the message itself (type, loc/lat/lng, pollName/pollOptions, vcard body or vcardList, the
// mentioned wids) and needs these modules and model members for it.

// A reply: the library finds the quoted message in Msg, asks WAWebMsgReply whether it can be replied to, and
// spreads msgContextInfo(chat) into the new message. The fields are those the site's messages carry
// (quotedMsg, quotedStanzaID, quotedParticipant; quotedRemoteJid when the quoted message is from another chat).
MsgModel.prototype.msgContextInfo = function (chat) {
  const author = this.author ?? (this.id.fromMe ? this.from : this.id.remote);
  return {
    quotedMsg: { type: this.type, body: this.body, caption: this.caption },
    quotedStanzaID: this.id.id,
    quotedParticipant: createWid(author),
    ...(!this.id.remote.equals(chat.id) && { quotedRemoteJid: this.id.remote }),
  };
};
// The name WhatsApp shows for a contact: saved name, else their own (push) name, else the number.
Object.defineProperty(ContactModel.prototype, 'formattedName', {
  get() {
    return this.name ?? this.pushname ?? `+${this.id.user}`;
  },
});
const vcardOfContact = (contact) => {
  const phone = contact.id.server === 'lid' ? phoneNumberOf(contact.id) : contact.id;
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:;${contact.formattedName};;;`,
    `FN:${contact.formattedName}`,
    ...(phone ? [`TEL;type=CELL;waid=${phone.user}:+${phone.user}`] : []),
    'END:VCARD',
  ].join('\n');
};
// vCard text as the site reads it: properties by name (parameters dropped); not a vCard throws.
const parseVcard = (text) => {
  const lines = String(text).split(/\r?\n/);
  if (lines[0] !== 'BEGIN:VCARD' || lines.at(-1) !== 'END:VCARD') throw new Error('vcard parse error');
  const parsed = {};
  for (const line of lines.slice(1, -1)) {
    const colon = line.indexOf(':');
    if (colon > 0) parsed[line.slice(0, colon).split(';')[0].toUpperCase()] = line.slice(colon + 1);
  }
  return parsed;
};
// A sticker: an image that is not webp yet is made a 512 x 512 webp in the page (Util.formatImageToWebpSticker ->
// WWebJS.toStickerData); the webp is then encrypted and uploaded (WWebJS.processStickerData).
async function toWebpSticker(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(512 / bitmap.width, 512 / bitmap.height);
  const [width, height] = [bitmap.width * scale, bitmap.height * scale];
  const canvas = new OffscreenCanvas(512, 512);
  canvas.getContext('2d').drawImage(bitmap, (512 - width) / 2, (512 - height) / 2, width, height);
  return canvas.convertToBlob({ type: 'image/webp' });
}
const isWebp = (bytes) =>
  Boolean(bytes) && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP';
Object.assign(modules, {
  WAWebMsgReply: { canReplyMsg: (msg) => !['revoked', 'ciphertext'].includes(msg.type) },
  WAWebFrontendVcardUtils: {
    vcardFromContactModel: (contact) => ({ displayName: contact.formattedName, vcard: vcardOfContact(contact) }),
  },
  WAWebVcardParsingUtils: { parseVcard },
  WAWebVcardGetNameFromParsed: { vcardGetNameFromParsed: (parsed) => parsed.FN },
  WAWebImageUtils: { toWebpSticker },
  WAWebStartMediaUploadQpl: { startMediaUploadQpl: () => ({ entryPoint: 'MediaUpload' }) },
  WAWebUploadManager: {
    async encryptAndUpload({ blob, mediaKey }) {
      const entry = upload(new Uint8Array(await blob.arrayBuffer()));
      return {
        url: entry.mmsUrl,
        directPath: entry.directPath,
        mediaKey,
        mediaKeyTimestamp: entry.mediaKeyTimestamp,
        encFilehash: entry.encFilehash,
      };
    },
  },
});
// The fields of these kinds, as the site keeps a sent message (and the harness reads them): ids as strings.
function sentKindFields(msg) {
  const fields = {
    quotedStanzaID: msg.quotedStanzaID,
    quotedParticipant: msg.quotedParticipant?.toString(),
    quotedRemoteJid: msg.quotedRemoteJid?.toString(),
    mentionedJidList: msg.mentionedJidList?.length ? msg.mentionedJidList.map(String) : undefined,
    loc: msg.loc,
    lat: msg.lat,
    lng: msg.lng,
    pollName: msg.pollName,
    pollOptions: msg.pollOptions,
    pollSelectableOptionsCount: msg.pollSelectableOptionsCount,
    vcardFormattedName: msg.vcardFormattedName,
    vcardList: msg.vcardList,
    ...(msg.type === 'vcard' && { body: msg.body }),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
Object.assign(window.WADouble, {
  sentKinds: () =>
    sent.map((msg) => ({
      id: msg.id.toString(),
      type: msg.type,
      ...sentKindFields(msg),
      ...(msg.type === 'sticker' && { stickerIsWebp: isWebp(mediaServer.get(msg.directPath)) }),
    })),
});
// ---------- end of slice "sending kinds" ----------
