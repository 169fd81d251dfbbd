const config = {
  profile: 'legacy',
  webVersion: '2.3000.1017054665',
  phone: '15550001234',
  pushname: 'Double',
  qrRefreshMs: 20_000,
  auto: false,
  scanAfterMs: 5_000,
  syncBeforeListen: false,
  neverSync: false,
  reloadAfterScanMs: undefined,
  noLidFor: [],
  misindexSent: false,
  offlineArrivals: [], // catch-up after downtime (issue 15), below
  ...window.WADoubleConfig,
};
// What each profile models (README.md, "Profiles"); the harness sets the matching webVersion.
const PROFILES = {
  legacy: { minifiedKeys: false, lid: false },
  '2026-07': { minifiedKeys: true, lid: false },
  '2026-07-lid': { minifiedKeys: true, lid: true },
};
const profile = PROFILES[config.profile];
if (!profile) throw new Error(`WhatsApp Web double: unknown profile ${config.profile}`);
const STORAGE_ME = 'wa-double:me'; // the pairing, kept in the origin's localStorage like the real site keeps its session
const STORAGE_STOP = 'wa-double:stop-answering';
// What the real site keeps in IndexedDB across page loads, and drops with the pairing: the messages the account
// sent, in their chats, and the LID <-> phone mappings it learned. Received messages and media bytes are not kept.
// IndexedDB, not localStorage: Chromium writes a finished transaction out at once, while it holds localStorage
// changes back for seconds, so a killed browser (kill -9 of a container) would lose the last sends.
const KEPT_DB = 'wa-double-kept';
const KEPT_MAX = 500; // sent messages, newest kept
