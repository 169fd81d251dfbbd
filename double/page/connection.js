// ---------- state of the account ----------
const storedMe = () => JSON.parse(localStorage.getItem(STORAGE_ME) ?? 'null');
const keptDb = new Promise((resolve, reject) => {
  const request = indexedDB.open(KEPT_DB, 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore('sent', { autoIncrement: true });
    request.result.createObjectStore('lids');
  };
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
// One transaction on the kept stores; resolves with `run`'s request results once it is written.
const keptTransaction = async (run) => {
  const tx = (await keptDb).transaction(['sent', 'lids'], 'readwrite');
  const requests = run(tx.objectStore('sent'), tx.objectStore('lids'));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  return requests.map((request) => request.result);
};
const keepSent = (record) =>
  keptTransaction((sentStore) => {
    sentStore.add(record);
    const count = sentStore.count();
    count.onsuccess = () => {
      let excess = count.result - KEPT_MAX;
      if (excess <= 0) return;
      sentStore.openCursor().onsuccess = (event) => {
        const cursor = event.target.result;
        if (!cursor || excess-- <= 0) return;
        cursor.delete();
        cursor.continue();
      };
    };
    return [];
  });
const forgetKept = () => keptTransaction((sentStore, lids) => [sentStore.clear(), lids.clear()]);
const forgetAccount = () => {
  localStorage.removeItem(STORAGE_ME);
  void forgetKept();
};
let me = null; // Wid of the paired account
const advSecretKey = toBase64(randomBytes(32));
const noiseKey = randomBytes(32);
const identityKey = randomBytes(32);
const newRef = () => `2@${toBase64(randomBytes(48))}`;
const timers = { qrRotation: 0, autoScan: 0, sync: 0, autoEnter: 0 };

class SocketModel extends Model {
  onListen(name) {
    if (name === 'change:hasSynced') syncWhenWatched();
  }
  logout() {
    // client.logout(): the page forgets the pairing; the library then closes the browser
    forgetAccount();
    me = null;
  }
  reconnect() {}
  takeover() {}
}
const Socket = new SocketModel({ state: 'OPENING', hasSynced: false });

class ConnModel extends Model {
  onListen(name) {
    if (name !== 'change:ref' || timers.qrRotation) return; // somebody shows the QR now
    timers.qrRotation = setInterval(() => Conn.set('ref', newRef()), config.qrRefreshMs);
    if (config.auto) timers.autoScan = setTimeout(scan, config.scanAfterMs);
  }
}
const Conn = new ConnModel({ ref: undefined, pushname: undefined, platform: 'android', battery: undefined, plugged: undefined });

// Commands bus. The library listens for 'logout', 'logout_from_bridge' and 'offline_progress_update_from_bridge'. (Its
// Cmd.refreshQR() call on UNPAIRED_IDLE runs in Node, where `window` is undefined, so it never arrives.)
const Cmd = new Emitter();

// Real WhatsApp Web syncs for seconds after connecting; by default the double finishes its "sync" as
// soon as somebody listens for it, so the library never misses `hasSynced` whatever the timing. The
// switches model the real races: `syncBeforeListen` finishes at once (a fast restore with nothing to
// sync: the library listens for a change that already happened, wwebjs PR #5748), `neverSync` never.
function finishSync() {
  addOfflineArrivals(); // catch-up after downtime (issue 15), below
  Cmd.trigger('offline_progress_update_from_bridge');
  Socket.set('hasSynced', true);
  render();
}
function syncWhenWatched() {
  if (config.neverSync) return;
  if (Socket.state !== 'CONNECTED' || Socket.hasSynced || timers.sync || !Socket.listenerCount('change:hasSynced')) return;
  timers.sync = setTimeout(finishSync, 50);
}

function render() {
  // for humans looking at the page (screenshots, a headful demo)
  document.getElementById('double-status').textContent =
    `WhatsApp Web double\nstate: ${Socket.state}${Socket.hasSynced ? ' (synced)' : ''}\n` +
    (me
      ? `account: ${me.user} (${Conn.pushname})`
      : altLinking.request
        ? `pairing code for ${altLinking.request.phoneNumber}: ${altLinking.request.code}`
        : Conn.ref
          ? `QR ref: ${Conn.ref}`
          : '');
}

function connect(account) {
  me = createWid(`${account.phone}@c.us`);
  Conn.set('pushname', account.pushname);
  Socket.set('state', 'CONNECTED');
  if (config.neverSync) return;
  if (config.syncBeforeListen) finishSync();
  else syncWhenWatched();
}

function scan() {
  if (Socket.state !== 'UNPAIRED') throw new Error(`WhatsApp Web double: no QR to scan (state ${Socket.state})`);
  pairAs({ phone: config.phone, pushname: config.pushname });
}

function pairAs(account) {
  clearInterval(timers.qrRotation);
  clearTimeout(timers.autoScan);
  localStorage.setItem(STORAGE_ME, JSON.stringify(account));
  connect(account);
  // The real site reloads itself after a fresh pairing (OpenWA PR #1040: at about five minutes).
  if (config.reloadAfterScanMs !== undefined) setTimeout(() => location.reload(), config.reloadAfterScanMs);
}

// ---------- issue 14, pairing codes: logging in with a phone number instead of a QR ----------
// What Client.requestPairingCode calls (as window.AuthStore.PairingCodeLinkUtils): setPairingType,
// initializeAltDeviceLinking, then startAltLinkingFlow(phoneNumber, showNotification), which answers the code;
// the library asks again every intervalMs while the socket is UNPAIRED. The code is 8 characters of WhatsApp's
// pairing alphabet (base32 without 0, I, O, U: Baileys' and whatsmeow's encoders); each request replaces the last.
// The phone of that number enters it (`enterCode`, or by itself after scanAfterMs in auto mode): the page pairs as
// that number.
const PAIRING_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
const altLinking = { type: undefined, initialized: false, request: null, requests: [] };
const AltDeviceLinkingApi = {
  setPairingType(type) {
    altLinking.type = type;
  },
  async initializeAltDeviceLinking() {
    if (altLinking.type !== 'ALT_DEVICE_LINKING') throw new Error('WhatsApp Web double: pairing type not set');
    altLinking.initialized = true;
  },
  async startAltLinkingFlow(phoneNumber, showNotification) {
    if (!altLinking.initialized) throw new Error('WhatsApp Web double: alt device linking not initialized');
    if (Socket.state !== 'UNPAIRED') throw new Error(`WhatsApp Web double: no code to give (state ${Socket.state})`);
    if (!/^\d{6,15}$/.test(String(phoneNumber))) throw new Error(`WhatsApp Web double: not a phone number: ${phoneNumber}`);
    const code = [...randomBytes(8)].map((byte) => PAIRING_ALPHABET[byte % PAIRING_ALPHABET.length]).join('');
    altLinking.request = { phoneNumber: String(phoneNumber), showNotification, code };
    altLinking.requests.push(altLinking.request);
    if (config.auto && !timers.autoEnter) timers.autoEnter = setTimeout(() => enterCode(altLinking.request.code), config.scanAfterMs);
    render();
    return code;
  },
  initializeQRLinking: async () => {},
};
function enterCode(code) {
  const request = altLinking.request;
  if (Socket.state !== 'UNPAIRED' || !request) throw new Error(`WhatsApp Web double: no pairing code asked for (state ${Socket.state})`);
  if (code !== request.code) throw new Error(`WhatsApp Web double: wrong pairing code ${code} (the current one is ${request.code})`);
  clearTimeout(timers.autoEnter);
  altLinking.request = null;
  pairAs({ phone: request.phoneNumber, pushname: config.pushname });
}
// ---------- end of issue 14, pairing codes ----------
