/**
 * What the engine reads from WhatsApp Web about contacts and the account itself beside the library
 * (issue 15), as page scripts (see page-scripts.ts): only what the page already knows; WhatsApp is
 * never asked (a bulk of queries about contacts gets numbers banned).
 */
import type { PageScript } from './page-scripts';

/** The LIDs the page knows for phone-number ids (whatsapp-web.js's Contact has no LID). */
export const LIDS_OF_PHONES: PageScript<string[], Record<string, string>> = `async (phoneIds) => {
  const { createWid } = window.require('WAWebWidFactory');
  const contacts = window.require('WAWebApiContact');
  const found = {};
  for (const phoneId of phoneIds) {
    const lid = contacts.getCurrentLid(createWid(phoneId));
    if (lid) found[phoneId] = lid.toString();
  }
  return found;
}`;

interface OwnAccount {
  lid: string | null;
  /** The display name as the page has it now (the library's client.info keeps the one of the last `ready`). */
  pushname: string | null;
}

export const OWN_ACCOUNT: PageScript<null, OwnAccount> = `async () => {
  const lid = window.require('WAWebUserPrefsMeUser').getMaybeMeLidUser();
  const { Conn } = window.require('WAWebConnModel');
  return { lid: lid ? lid.toString() : null, pushname: Conn.pushname || null };
}`;

export const CONTACT_SCRIPTS: Record<string, string> = { LIDS_OF_PHONES, OWN_ACCOUNT };
