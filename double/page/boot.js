// ---------- boot ----------
Socket.on('change:state', render); // never 'change:hasSynced': a listener there means "the client is watching"
Conn.on('change:pushname', render);
window.Debug = { VERSION: config.webVersion };

if (localStorage.getItem(STORAGE_STOP)) {
  document.getElementById('double-status').textContent = 'WhatsApp Web double: stopped answering (stuck in OPENING)';
} else {
  setTimeout(async () => {
    const account = storedMe();
    if (account) {
      await restoreKept().catch((error) => console.error(`WhatsApp Web double: kept messages lost: ${error}`));
      connect(account);
    } else {
      void forgetKept(); // an unpaired page has nothing of an account, whatever a killed browser left behind
      Conn.set('ref', newRef());
      Socket.set('state', 'UNPAIRED');
    }
  }, 200);
}
