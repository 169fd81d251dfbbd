/**
 * The own profile (issue 15) on a fake Client: Client.setDisplayName, setStatus, setProfilePicture
 * and deleteProfilePicture with exactly what was asked, their false answers as profile_update_refused,
 * and get_own_profile from the page's current name and LID.
 */
import { describe, expect, it } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import type { MediaFile } from '../../../src/engines/capabilities/messaging';
import { OWN_ACCOUNT } from '../../../src/engines/wwebjs/contact-scripts';
import { startedHarnessPerTest } from './session-harness';

const h = startedHarnessPerTest();

const account = () => h.session.account!;
const picture: MediaFile = { mimetype: 'image/png', fileName: 'dot.png', size: 5, load: async () => Buffer.from('hello') };

describe('changes', () => {
  it('sets the display name and the about text with the library calls', async () => {
    await account().setDisplayName('Support Bot');
    await account().setAbout('Answers in minutes');
    expect(h.client().setDisplayName).toHaveBeenCalledExactlyOnceWith('Support Bot');
    expect(h.client().setStatus).toHaveBeenCalledExactlyOnceWith('Answers in minutes');
  });

  it('hands the picture over as a MessageMedia', async () => {
    await account().setProfilePicture(picture);
    expect(h.client().setProfilePicture).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ mimetype: 'image/png', data: Buffer.from('hello').toString('base64'), filename: 'dot.png' }),
    );
    await account().deleteProfilePicture();
    expect(h.client().deleteProfilePicture).toHaveBeenCalledExactlyOnceWith();
  });

  it('refuses profile_update_refused when the library answers false (or nothing)', async () => {
    h.client().setDisplayName.mockResolvedValue(false);
    h.client().setProfilePicture.mockResolvedValue(false);
    h.client().deleteProfilePicture.mockResolvedValue(undefined as unknown as boolean);
    await expect(account().setDisplayName('x')).rejects.toMatchObject({ code: 'profile_update_refused' });
    await expect(account().setProfilePicture(picture)).rejects.toMatchObject({ code: 'profile_update_refused' });
    await expect(account().deleteProfilePicture()).rejects.toMatchObject({ code: 'profile_update_refused' });
  });

  it('fails engine_error when the page throws', async () => {
    h.client().setStatus.mockRejectedValue(new Error('Evaluation failed'));
    await expect(account().setAbout('x')).rejects.toMatchObject({ code: 'engine_error' });
  });
});

describe('ownProfile', () => {
  it("reads the page's name and LID, and the about text and picture of the account's own id", async () => {
    h.client().pupPage!.answer(OWN_ACCOUNT, () => ({ lid: '243210001555100@lid', pushname: 'New Name' }));
    h.client().getContactById.mockResolvedValue({ getAbout: async () => 'Busy' } as unknown as wwebjs.Contact);
    h.client().getProfilePicUrl.mockResolvedValue('https://pps.whatsapp.net/me.jpg');
    expect(await account().ownProfile()).toEqual({
      phoneNumber: '15550001234',
      lid: '243210001555100@lid',
      displayName: 'New Name',
      about: 'Busy',
      profilePicUrl: 'https://pps.whatsapp.net/me.jpg',
    });
    expect(h.client().getContactById).toHaveBeenCalledWith('15550001234@c.us');
    expect(h.client().getProfilePicUrl).toHaveBeenCalledWith('15550001234@c.us');
  });

  it('leaves out (null) what WhatsApp does not give', async () => {
    h.client().pupPage!.answer(OWN_ACCOUNT, () => ({ lid: null, pushname: null }));
    h.client().getContactById.mockRejectedValue(new Error('no status'));
    h.client().getProfilePicUrl.mockResolvedValue(undefined as unknown as string);
    expect(await account().ownProfile()).toEqual({
      phoneNumber: '15550001234',
      lid: null,
      displayName: null,
      about: null,
      profilePicUrl: null,
    });
  });
});
