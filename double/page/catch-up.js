// ---------- catch-up after downtime (issue 15) ----------
// Messages that reached the account while no page was open (`offlineArrivals`, written by the harness's
// queueOfflineArrivals while the gateway is down). The real site takes them from the server's offline queue
// during its sync, before `hasSynced` (its loading screen, "offline_progress_update_from_bridge"), and puts them
// in their chats; whatsapp-web.js listens to Msg 'add' only from `ready` on, so it emits no `message` for them
// (wwebjs #3219: "no add event is emitted for many (all?) bulk synced messages"; #589, where users read them with
// getChats/unreadCount and fetchMessages instead). The double adds them in the same place, every time a stored
// account connects: the real site keeps received messages in IndexedDB, so they stay in their chats on later
// loads. `tail: true` arrives 100 ms after `hasSynced` instead, once the library listens: `message` fires for it
// (the "many (all?)" of #3219: the end of a long offline queue still trickles in after `ready`).
function addOfflineArrivals() {
  for (const arrival of config.offlineArrivals) {
    const add = () => {
      const remote = findChat(senderOf(arrival.from, false)).id;
      const id = new MsgKey({ fromMe: false, remote, id: arrival.id }); // the same on every load
      if (!Msg.get(String(id)))
        receive({ from: arrival.from, type: 'chat', body: arrival.body, timestamp: arrival.timestamp, extra: { id } });
    };
    if (arrival.tail) setTimeout(add, 100);
    else add();
  }
}
// ---------- end of catch-up after downtime ----------
