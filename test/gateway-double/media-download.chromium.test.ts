/**
 * download_media through the Socket.IO API with the real engine: whatsapp-web.js in headless Chromium
 * against the WhatsApp Web double, on every profile. Message.downloadMedia() runs the library's page
 * code against the double's download modules, which imitate the site's decryption (its key check only:
 * docs/decisions.md, "Downloading received media").
 */

import { describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, deliverMessage, expireMedia, type DoubleProfile } from '../../double/harness';
import { hasBrowser } from '../../double/gateway';

import { PNG_BASE64, pairedOnDouble } from './support';

const SESSION = 'media';
const CONTACT_ID = '6281111111111@c.us';
const PDF = Buffer.from('%PDF-1.4\n% the double keeps these bytes as they are\n%%EOF\n');

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'download_media with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile, { env: { MEDIA_AUTO_DOWNLOAD: '1' } });

    async function received(media: { mimetype: string; data: string; filename?: string }) {
      const after = paired.log.mark();
      const id = await deliverMessage(paired.device.page, { from: CONTACT_ID, media });
      return (await paired.log.next('message_received', (m) => m.message.id === id, { after })).message;
    }

    it('answers a received image base64, as the contact sent it', async () => {
      const { id } = await received({ mimetype: 'image/png', data: PNG_BASE64 });
      expect(await paired.api.downloadMedia(SESSION, id)).toEqual({
        sessionId: SESSION,
        messageId: id,
        mimetype: 'image/png',
        size: Buffer.from(PNG_BASE64, 'base64').length,
        data: PNG_BASE64,
      });
    });

    it('answers a document behind a link, with its name, type and length', async () => {
      const { id } = await received({ mimetype: 'application/pdf', data: PDF.toString('base64'), filename: 'report.pdf' });
      const linked = await paired.api.downloadMedia(SESSION, id, 'url');
      expect(linked).toMatchObject({ mimetype: 'application/pdf', fileName: 'report.pdf', size: PDF.length });
      const response = await fetch(`${paired.gw.gateway.url}${linked.url}`);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-length')).toBe(String(PDF.length));
      expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);
    });

    it('with MEDIA_AUTO_DOWNLOAD, message_received links to the file it kept', async () => {
      const message = await received({ mimetype: 'image/png', data: PNG_BASE64 });
      expect(message.mediaUrl).toMatch(/^\/media\/[A-Za-z0-9_-]{32}$/);
      const response = await fetch(`${paired.gw.gateway.url}${message.mediaUrl}`);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(PNG_BASE64, 'base64'));
    });

    it('answers media_unavailable for media the phone no longer has, and for an id WhatsApp Web does not know', async () => {
      const { id } = await received({ mimetype: 'image/png', data: PNG_BASE64 });
      await expireMedia(paired.device.page, id);
      await expect(paired.api.downloadMedia(SESSION, id)).rejects.toMatchObject({ code: 'media_unavailable' });
      await expect(paired.api.downloadMedia(SESSION, `false_${CONTACT_ID}_3EB0000000000000NEVER`)).rejects.toMatchObject({
        code: 'media_unavailable',
      });
    });
  },
);
