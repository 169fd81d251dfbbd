/*
 * WhatsApp Gateway test console. Plain browser JavaScript, no build step.
 * The Socket.IO client is loaded from the gateway itself (<server>/ws/socket.io.js),
 * so the page also works opened from disk. Every request goes out with an
 * acknowledgement callback and its answer is shown next to the form that sent it.
 * What the page knows of the protocol (error events, error codes, session
 * statuses, the ack order, message types) comes from protocol.js, which
 * `npm run docs:protocol` generates from src/protocol.
 * Message actions (react, forward, edit, delete) and what a chat did to a
 * listed message (quotes, reactions, edits, deletions) are in
 * whatsapp-test-actions.js, loaded before this file.
 * It resumes the gateway's event log: the last `seq` of each session, kept in
 * sessionStorage per server URL, goes in every handshake (`auth.since`, or a
 * `subscribe` when too large for the handshake), so a reconnect or a reload
 * gets what it missed, marked "replayed".
 */
'use strict';

(function () {
  const PROTOCOL = window.GATEWAY_PROTOCOL;
  for (const [loaded, file] of [
    [PROTOCOL, 'protocol.js'],
    [window.WhatsAppTestActions, 'whatsapp-test-actions.js'],
    [window.WhatsAppTestChats, 'whatsapp-test-chats.js'],
  ]) {
    if (loaded) continue;
    document.getElementById('conn-text').textContent = `${file} did not load: keep it next to whatsapp-test.html.`;
    throw new Error(`${file} did not load`);
  }
  const REQUEST_TIMEOUT_MS = 20000;
  const LOG_LIMIT = 1000;
  /** The gateway's default AUTH_MAX_BYTES, less room for the packet's framing and Socket.IO's recovery fields. */
  const HANDSHAKE_BUDGET_BYTES = 4096 - 200;
  /** Sessions named in the note of a resume; the rest are counted. */
  const RESUME_NOTE_SESSIONS = 5;
  /** How each ack looks; one the page does not know shows as "?" and its name. */
  const ACK_LABELS = {
    pending: ['…', 'pending'],
    server: ['✓', 'sent'],
    device: ['✓✓', 'delivered'],
    read: ['✓✓', 'read'],
    played: ['✓✓', 'played'],
    error: ['✗', 'failed'],
  };
  /** Before any answer about it, a session's status is the page's own "unknown". */
  const STATUS_DETAILS = { unknown: 'Press Start or Status.', ...PROTOCOL.sessionStatuses };

  const state = {
    socket: null,
    generation: 0,
    lastConnectError: '',
    subscription: '*',
    sessions: new Map(),
    sent: new Map(),
    earlyAcks: new Map(),
    incoming: new Map(),
    log: [],
    /** Per session, the last seq received from the gateway at `seqsKey` (its URL). */
    seqs: new Map(),
    seqsKey: '',
    /** The `since` the last handshake could not carry: sent in a subscribe once connected. */
    sinceBySubscribe: null,
  };

  const $ = (id) => document.getElementById(id);
  const actions = window.WhatsAppTestActions({ el, ask });
  const chats = window.WhatsAppTestChats({ el, ask, sessionId: () => currentSessionId() });

  // ---- small DOM helpers ------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  /** The mark of an event sent again from the gateway's event log on a resume. */
  const replayedBadge = (payload) =>
    payload && payload.replayed === true
      ? el('span', { className: 'badge', 'data-testid': 'replayed-badge', title: 'sent again from the event log on a resume' }, 'replayed')
      : null;

  const clock = (ms) => new Date(ms).toLocaleTimeString();
  const preciseClock = (date) => date.toTimeString().slice(0, 8) + '.' + String(date.getMilliseconds()).padStart(3, '0');

  /** Pretty JSON for the log; data URLs and other very long strings (base64) are cut so the log stays readable. */
  function pretty(value) {
    if (value === undefined) return '(no payload)';
    const shorten = (_key, v) => {
      if (typeof v !== 'string') return v;
      if ((v.startsWith('data:') && v.length > 80) || v.length > 2000) return `${v.slice(0, 48)}… (${v.length} characters)`;
      return v;
    };
    return JSON.stringify(value, shorten, 2);
  }

  // ---- results shown beside the forms ----------------------------------------

  function showPending(target, text) {
    target.hidden = false;
    target.dataset.result = 'pending';
    target.replaceChildren(`… ${text}`);
  }

  /** Shows an ack answer: the success text (string or node) or the error code and message in words. */
  function showAnswer(target, event, response, describe) {
    target.hidden = false;
    if (response.ok) {
      const body = describe(response.data);
      target.dataset.result = body.result || 'ok';
      target.replaceChildren(body.result === 'warn' ? '✗ ' : '✓ ', ...[].concat(body.content || body));
      return;
    }
    target.dataset.result = 'error';
    // The page's own codes (not_connected, timeout, file_unreadable) came in no error event.
    const errorEvent = PROTOCOL.errorCodes.includes(response.error.code) ? PROTOCOL.errorEvents[event] : '';
    target.replaceChildren(
      '✗ Error ',
      el('code', {}, response.error.code),
      `${errorEvent ? ` (${errorEvent})` : ''}: ${response.error.message}`,
    );
  }

  // ---- requests ----------------------------------------------------------------

  /** Emits a client event with an ack callback; `done` always gets { ok, data } or { ok: false, error }. */
  function request(event, payload, done) {
    const socket = state.socket;
    if (!socket || !socket.connected) {
      done({ ok: false, error: { code: 'not_connected', message: 'not connected to the gateway; press Connect first' } });
      return;
    }
    addLog('out', event, payload);
    const args = payload === undefined ? [] : [payload];
    socket.timeout(REQUEST_TIMEOUT_MS).emit(event, ...args, (error, response) => {
      const answer = error
        ? { ok: false, error: { code: 'timeout', message: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` } }
        : response;
      addLog('ack', event, answer);
      done(answer);
    });
  }

  /** Sends `event` and shows its answer in `target`. */
  function ask(event, payload, target, describe, after) {
    showPending(target, `${event} sent, waiting for the answer`);
    request(event, payload, (response) => {
      showAnswer(target, event, response, describe);
      if (after) after(response);
    });
  }

  // ---- connection --------------------------------------------------------------

  function defaultServerUrl() {
    return /^https?:$/.test(location.protocol) ? location.origin : 'http://localhost:3000';
  }

  function normalizeUrl(raw) {
    let url = raw.trim().replace(/\/+$/, '') || defaultServerUrl();
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
    return url.replace(/^ws(s?):\/\//i, 'http$1://');
  }

  function setConnState(kind, text) {
    $('conn-state').dataset.state = kind;
    $('conn-text').textContent = text;
    const busy = kind !== 'disconnected' && kind !== 'refused';
    $('connect-button').textContent = busy ? 'Disconnect' : 'Connect';
    document.body.dataset.connection = kind;
  }

  /** Loads the Socket.IO client that the gateway serves at /ws/socket.io.js (once). */
  function loadSocketIo(serverUrl) {
    if (window.io) return Promise.resolve(window.io);
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = `${serverUrl}/ws/socket.io.js`;
      script.onload = () => (window.io ? resolve(window.io) : reject(new Error(`${script.src} is not the Socket.IO client`)));
      script.onerror = () => {
        script.remove();
        reject(new Error(`could not load the Socket.IO client from ${script.src} (is the gateway running there?)`));
      };
      document.head.append(script);
    });
  }

  async function connect() {
    disconnect();
    const generation = ++state.generation;
    const url = normalizeUrl($('server-url').value);
    $('server-url').value = url;
    state.lastConnectError = '';
    setConnState('connecting', `Connecting to ${url}…`);
    let io;
    try {
      io = await loadSocketIo(url);
    } catch (error) {
      if (generation !== state.generation) return;
      addLog('system', 'connect_error', { message: error.message });
      setConnState('refused', `Cannot connect to ${url}: ${error.message}`);
      return;
    }
    if (generation !== state.generation) return;
    const token = $('api-key').value.trim();
    loadSeqs(url);
    // A function: every reconnect sends the seqs of then.
    const auth = (send) => send(handshakeAuth(token));
    state.socket = io(url, { path: '/ws', transports: ['websocket', 'polling'], forceNew: true, auth });
    watchSocket(state.socket, url);
  }

  // ---- resuming the event log ------------------------------------------------------

  function loadSeqs(url) {
    state.seqsKey = `whatsapp-test:last-seqs:${url}`;
    try {
      state.seqs = new Map(Object.entries(JSON.parse(sessionStorage.getItem(state.seqsKey) || '{}')));
    } catch {
      state.seqs = new Map();
    }
  }

  function noteSeq(payload) {
    if (!payload || typeof payload.seq !== 'number' || typeof payload.sessionId !== 'string') return;
    if (payload.seq <= (state.seqs.get(payload.sessionId) || 0)) return;
    state.seqs.set(payload.sessionId, payload.seq);
    try {
      sessionStorage.setItem(state.seqsKey, JSON.stringify(Object.fromEntries(state.seqs)));
    } catch {
      // Storage full or refused: the page still resumes from what it holds in memory.
    }
  }

  /** { token, since }; a `since` too large for the handshake is left for a subscribe once connected (`state.sinceBySubscribe`). */
  function handshakeAuth(token) {
    const auth = token ? { token } : {};
    const since = Object.fromEntries(state.seqs);
    state.sinceBySubscribe = null;
    if (!state.seqs.size) return auth;
    if (new TextEncoder().encode(JSON.stringify({ ...auth, since })).length <= HANDSHAKE_BUDGET_BYTES) return { ...auth, since };
    state.sinceBySubscribe = since;
    return auth;
  }

  /** The `subscribed` report of a resume: how many events each session got again, and whether older ones were gone. */
  function showResumeReport(replayed) {
    const reports = Object.entries(replayed || {});
    if (!reports.length) return;
    const total = reports.reduce((sum, [, report]) => sum + report.events, 0);
    const describe = ([sessionId, r]) => `${sessionId}: ${r.events} up to seq ${r.lastSeq}${r.truncated ? ', truncated' : ''}`;
    const details = reports.slice(0, RESUME_NOTE_SESSIONS).map(describe);
    if (reports.length > RESUME_NOTE_SESSIONS) details.push(`${reports.length - RESUME_NOTE_SESSIONS} more sessions`);
    const truncated = reports.filter(([, report]) => report.truncated).length;
    const note = $('resume-note');
    note.hidden = false;
    note.dataset.result = truncated ? 'warn' : 'ok';
    note.replaceChildren(
      `Resumed from the event log: ${total} event(s) replayed (${details.join('; ')}).`,
      truncated ? ` ${truncated} session(s) truncated: their older events were no longer kept.` : '',
    );
  }

  function disconnect() {
    state.generation += 1;
    const socket = state.socket;
    state.socket = null;
    if (socket) {
      socket.offAny();
      socket.removeAllListeners();
      socket.io.off('reconnect_attempt');
      socket.disconnect();
      addLog('system', 'disconnect', { reason: 'closed by you' });
    }
    setConnState('disconnected', 'Disconnected');
  }

  function describeConnectError(error) {
    const data = error.data && typeof error.data === 'object' ? error.data : null;
    const detail = data && (data.code || data.message) ? ` (${[data.code, data.message].filter(Boolean).join(': ')})` : '';
    if (error.type === 'TransportError') return `no answer from the server (${error.message})${detail}`;
    return `${error.message}${detail}`;
  }

  function watchSocket(socket, url) {
    socket.on('connect', () => {
      state.lastConnectError = '';
      addLog('system', 'connect', { id: socket.id, transport: socket.io.engine.transport.name, recovered: socket.recovered });
      setConnState('connected', `Connected to ${url}`);
      const since = socket.recovered ? null : state.sinceBySubscribe;
      if (since) request('subscribe', { sessionIds: state.subscription, since }, () => {});
      else if (state.subscription !== '*') request('subscribe', { sessionIds: state.subscription }, () => {});
    });
    socket.on('disconnect', (reason) => {
      addLog('system', 'disconnect', { reason });
      if (socket.active) setConnState('reconnecting', `Connection to ${url} lost (${reason}); reconnecting…`);
      else setConnState('refused', `Disconnected by the server (${reason})`);
    });
    socket.on('connect_error', (error) => {
      const reason = describeConnectError(error);
      addLog('system', 'connect_error', { message: error.message, data: error.data });
      state.lastConnectError = reason;
      if (socket.active) setConnState('unreachable', `Cannot connect to ${url}: ${reason}. Retrying…`);
      else setConnState('refused', `Refused by ${url}: ${reason}`);
    });
    socket.io.on('reconnect_attempt', (attempt) => {
      const why = state.lastConnectError ? `Cannot connect to ${url}: ${state.lastConnectError}.` : `Connection to ${url} lost.`;
      setConnState(state.lastConnectError ? 'unreachable' : 'reconnecting', `${why} Retrying (attempt ${attempt})…`);
    });
    socket.onAny((event, payload) => {
      noteSeq(payload);
      addLog('in', event, payload);
      const handler = serverEventHandlers[event];
      if (handler) handler(payload);
    });
  }

  // ---- sessions ------------------------------------------------------------------

  const currentSessionId = () => $('session-id').value.trim();

  function sessionState(sessionId) {
    if (!state.sessions.has(sessionId)) state.sessions.set(sessionId, { status: 'unknown' });
    return state.sessions.get(sessionId);
  }

  function updateSession(sessionId, changes) {
    Object.assign(sessionState(sessionId), changes);
    if (sessionId === currentSessionId()) renderSession();
  }

  function renderSession() {
    const session = state.sessions.get(currentSessionId()) || { status: 'unknown' };
    const status = $('session-status');
    status.dataset.status = session.status;
    status.textContent = session.status.replace(/_/g, ' ');
    let detail = STATUS_DETAILS[session.status] || '';
    if (session.reason && session.status !== 'connected') detail += ` Last disconnect: ${session.reason}.`;
    if (session.error && session.status === 'failed') detail = `Error ${session.error.code}: ${session.error.message}`;
    if (session.queueDepth) detail += ` ${session.queueDepth} message(s) waiting in the send queue.`;
    $('session-status-detail').textContent = detail ? `— ${detail}` : '';

    const showQr = session.status === 'qr' && Boolean(session.qrCode);
    $('qr').hidden = !showQr;
    if (showQr && $('qr-image').getAttribute('src') !== session.qrCode) {
      $('qr-image').src = session.qrCode;
      $('qr-image').alt = `QR code for session ${currentSessionId()}, attempt ${session.attempt || 1}`;
    }
    if (!showQr) $('qr-image').removeAttribute('src');
    $('qr-attempt').textContent = `QR attempt ${session.attempt || 1}.`;
    renderPairingCode(session);

    const connected = session.status === 'connected';
    $('account').hidden = !connected;
    $('account-phone').textContent = session.phoneNumber ? `+${session.phoneNumber}` : '';
    $('account-name').textContent = session.pushname || '';
  }

  function renderPairingCode(session) {
    const pairing = session.status === 'pairing' ? session.pairing : undefined;
    $('pairing').hidden = !pairing;
    $('pairing-code').textContent = pairing ? `${pairing.code.slice(0, 4)}-${pairing.code.slice(4)}` : '';
    $('pairing-code').dataset.code = pairing ? pairing.code : '';
    $('pairing-number').textContent = pairing ? `+${pairing.phoneNumber}` : '';
    $('pairing-attempt').textContent = `Code ${pairing ? pairing.attempt : 1}.`;
  }

  function sessionRequest(event, describe) {
    ask(event, { sessionId: currentSessionId() }, $('session-result'), describe);
  }

  function sessionList(items, emptyText, describeItem) {
    if (!items.length) return emptyText;
    const list = el('ul', { className: 'session-list', 'data-testid': 'session-list' });
    for (const item of items) {
      const use = el('button', { type: 'button', className: 'link', 'aria-label': `Use session ${item.sessionId}` }, item.sessionId);
      use.addEventListener('click', () => {
        $('session-id').value = item.sessionId;
        renderSession();
        $('session-id').focus();
      });
      list.append(el('li', {}, use, ` — ${describeItem(item)}`));
    }
    return list;
  }

  function wireSessionForm() {
    $('session-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const phoneNumber = $('pairing-phone').value.trim();
      ask(
        'start_session',
        { sessionId: currentSessionId(), ...(phoneNumber && { phoneNumber }) },
        $('session-result'),
        (data) => `start_session accepted: session ${data.sessionId} was ${data.status} (the status above follows it)`,
      );
    });
    $('stop-session').addEventListener('click', () =>
      sessionRequest('stop_session', (data) => `Session ${data.sessionId} stopped (reason: ${data.reason}). Its login is kept.`),
    );
    $('logout-session').addEventListener('click', () =>
      sessionRequest(
        'logout_session',
        (data) => `Session ${data.sessionId} logged out (reason: ${data.reason}); its stored login was deleted.`,
      ),
    );
    $('session-status-button').addEventListener('click', () =>
      sessionRequest('get_session_status', (data) => {
        const account = data.phoneNumber ? `, phone +${data.phoneNumber}` : '';
        return `Session ${data.sessionId}: ${data.status.replace(/_/g, ' ')}${account}`;
      }),
    );
    $('active-sessions').addEventListener('click', () =>
      ask('get_active_sessions', undefined, $('session-result'), (list) => ({
        content: [
          `Active sessions (${list.length}):`,
          sessionList(
            list,
            ' none.',
            (s) => `${s.status}${s.isConnected ? ', connected' : ''}${s.phoneNumber ? `, +${s.phoneNumber}` : ''}`,
          ),
        ],
      })),
    );
    $('available-sessions').addEventListener('click', () =>
      ask('get_available_sessions', undefined, $('session-result'), (list) => ({
        content: [`Stored sessions (${list.length}):`, sessionList(list, ' none.', (s) => (s.isActive ? 'running' : 'not running'))],
      })),
    );
    $('load-sessions').addEventListener('click', () =>
      ask('load_sessions_from_storage', undefined, $('session-result'), (data) => {
        const loaded = data.loaded.length ? `loaded ${data.loaded.join(', ')}` : 'nothing new to load';
        const already = data.alreadyActive.length ? `; already running: ${data.alreadyActive.join(', ')}` : '';
        return `Load from storage: ${loaded}${already}.`;
      }),
    );
    $('session-id').addEventListener('input', renderSession);
    $('presence-online').addEventListener('click', () => presence(true));
    $('presence-offline').addEventListener('click', () => presence(false));
  }

  function presence(available) {
    ask('send_presence', { sessionId: currentSessionId(), available }, $('presence-result'), (data) =>
      data.available ? 'Shown online (presence_state: available).' : 'Shown offline (presence_state: unavailable).',
    );
  }

  // ---- groups (issue 15) --------------------------------------------------------------

  function wireGroupForm() {
    $('group-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const participants = $('group-participants')
        .value.split(',')
        .map((number) => number.trim())
        .filter(Boolean);
      const payload = { sessionId: currentSessionId(), name: $('group-name').value, participants };
      ask('create_group', payload, $('group-result'), (created) => {
        const failed = created.failed.map((failure) => `${failure.participant} (${failure.reason})`).join(', ');
        return `Group ${created.groupId} created (group_created)${failed ? `; not added: ${failed}` : ''}.`;
      });
    });
  }

  // ---- sending and sent messages -----------------------------------------------------

  /** The chosen file as inline media: { data (base64), mimetype, fileName }. */
  function readInlineFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const dataUrl = String(reader.result);
        resolve({ data: dataUrl.slice(dataUrl.indexOf(',') + 1), mimetype: file.type || 'application/octet-stream', fileName: file.name });
      };
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function sendPayload() {
    const type = $('send-type').value;
    const text = $('send-text').value;
    const fileName = $('send-filename').value.trim();
    const payload = { sessionId: currentSessionId(), to: $('send-to').value.trim(), type };
    const needs = needsOf(type);
    if (needs === 'message') payload.message = text;
    else if (needs === 'media') {
      const file = $('send-file').files[0];
      const mediaPath = $('send-media').value.trim();
      if (file) payload.media = await readInlineFile(file);
      else if (mediaPath) payload.media = mediaPath;
      if (text && takesCaption(type)) payload.caption = text;
      if (fileName) payload.fileName = fileName;
    } else if (KIND_FIELDS[needs]) payload[needs] = KIND_FIELDS[needs]();
    if ($('send-quoted').value.trim()) payload.quotedMessageId = $('send-quoted').value.trim();
    const mentions = commaList($('send-mentions').value);
    if (mentions.length) payload.mentions = mentions;
    if ($('send-client-id').value.trim()) payload.clientMessageId = $('send-client-id').value.trim();
    return payload;
  }

  const commaList = (value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  /** Empty stays missing (the gateway then names the field); anything else is sent as a number, or null when it is none. */
  const numberField = (id) => ($(id).value.trim() === '' ? undefined : Number($(id).value));
  const optionalText = (id) => $(id).value.trim() || undefined;

  /** The fields of the types that are neither text nor media, by the field they need (protocol.js). */
  const KIND_FIELDS = {
    location: () => ({
      latitude: numberField('send-latitude'),
      longitude: numberField('send-longitude'),
      name: optionalText('send-place-name'),
      address: optionalText('send-place-address'),
    }),
    poll: () => ({
      question: $('send-poll-question').value,
      options: $('send-poll-options')
        .value.split('\n')
        .map((option) => option.trim())
        .filter(Boolean),
      allowMultipleAnswers: $('send-poll-multiple').checked,
    }),
    contact: () =>
      $('send-vcard').value.trim() ? { vcard: $('send-vcard').value.trim() } : { numbers: commaList($('send-contact-numbers').value) },
  };

  function onFileChange() {
    const file = $('send-file').files[0];
    $('send-file-clear').hidden = !file;
    $('send-media').disabled = Boolean(file);
  }

  /** The field each type needs (protocol.js): `message` (text), `media` (with the text as caption), or its own (`location`, `poll`, …). */
  const needsOf = (type) => PROTOCOL.messageTypes[type];
  /** WhatsApp shows no caption on a sticker (the gateway refuses one). */
  const takesCaption = (type) => needsOf(type) === 'media' && type !== 'sticker';

  function onTypeChange() {
    const type = $('send-type').value;
    const needs = needsOf(type);
    $('media-fields').hidden = needs !== 'media';
    for (const kind of Object.keys(KIND_FIELDS)) $(`${kind}-fields`).hidden = needs !== kind;
    $('send-text').closest('.field').hidden = needs !== 'message' && !takesCaption(type);
    $('send-text-label').textContent = needs === 'message' ? 'Text' : 'Caption (optional)';
  }

  function rememberSent(sent) {
    if (state.sent.has(sent.messageId)) return;
    const record = { ...sent, ack: PROTOCOL.ackProgress[0] };
    state.sent.set(sent.messageId, record);
    record.node = renderSent(record);
    $('sent-list').prepend(record.node);
    $('sent-empty').hidden = true;
    for (const ack of state.earlyAcks.get(sent.messageId) || []) applyAck(record, ack);
    state.earlyAcks.delete(sent.messageId);
  }

  function renderSent(record) {
    const ticks = el('span', { className: 'ticks', 'data-testid': 'sent-ack' });
    // Always there, so that an edit can give a message without text one.
    const text = el('p', { className: 'item-text', hidden: !record.message }, record.message || '');
    const item = el(
      'li',
      { className: 'item', 'data-testid': 'sent-item', 'data-message-id': record.messageId },
      el(
        'div',
        { className: 'item-head' },
        el('strong', {}, `To ${record.to}`),
        replayedBadge(record),
        el('span', { className: 'meta' }, `${record.type} · ${clock(record.timestamp)}`),
      ),
      text,
      actions.track(record.sessionId, record.messageId, text),
      el('div', { className: 'item-foot' }, el('code', { className: 'id' }, record.messageId), ticks),
      actions.controls({ sessionId: record.sessionId, messageId: record.messageId, text: record.message, own: true }),
    );
    record.ticksNode = ticks;
    paintTicks(record);
    return item;
  }

  function paintTicks(record) {
    const [symbol, word] = ACK_LABELS[record.ack] || ['?', record.ack];
    record.ticksNode.dataset.ack = record.ack;
    record.ticksNode.replaceChildren(el('span', { 'aria-hidden': 'true', className: 'tick-symbol' }, symbol), ` ${word}`);
  }

  /** Acks can arrive out of order: only a later step, or the failure, changes the ticks. */
  function applyAck(record, ack) {
    const progress = PROTOCOL.ackProgress;
    const newer = ack === PROTOCOL.ackFailed || progress.indexOf(ack) > progress.indexOf(record.ack);
    if (!newer) return;
    record.ack = ack;
    paintTicks(record);
  }

  function onMessageAck({ messageId, ack }) {
    const record = state.sent.get(messageId);
    if (record) applyAck(record, ack);
    else state.earlyAcks.set(messageId, [...(state.earlyAcks.get(messageId) || []), ack]);
  }

  function wireSendForm() {
    const types = Object.keys(PROTOCOL.messageTypes);
    $('send-type').replaceChildren(...types.map((type) => el('option', { value: type }, type)));
    $('send-type').addEventListener('change', onTypeChange);
    onTypeChange();
    $('send-file').addEventListener('change', onFileChange);
    $('send-file-clear').addEventListener('click', () => {
      $('send-file').value = '';
      onFileChange();
      $('send-file').focus();
    });
    onFileChange();
    $('send-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      let payload;
      try {
        payload = await sendPayload();
      } catch (error) {
        showAnswer($('send-result'), 'send_whatsapp_message', { ok: false, error: { code: 'file_unreadable', message: String(error) } });
        return;
      }
      ask('send_whatsapp_message', payload, $('send-result'), (sent) => {
        rememberSent(sent);
        return (
          `message_sent: ${sent.type} to ${sent.to} (${sent.chatId}), id ${sent.messageId}` +
          (sent.clientMessageId ? `, client id ${sent.clientMessageId}` : '')
        );
      });
    });
  }

  function describeMessageStatus(data) {
    const [, ackWord] = data.ack ? ACK_LABELS[data.ack] || ['?', data.ack] : [];
    const parts = [`to ${data.to}`, data.messageId && `id ${data.messageId}`, ackWord && `latest ack: ${ackWord}`];
    if (data.error) parts.push(`error ${data.error.code}: ${data.error.message}`);
    const text = `Message ${data.clientMessageId || data.messageId} is ${data.status} (${parts.filter(Boolean).join(', ')}).`;
    return data.status === 'failed' || data.status === 'unknown' ? { result: 'warn', content: text } : text;
  }

  function wireMessageStatusForm() {
    $('message-status-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const payload = { sessionId: currentSessionId(), [$('status-kind').value]: $('status-id').value.trim() };
      ask('get_message_status', payload, $('message-status-result'), describeMessageStatus);
    });
  }

  // ---- incoming messages ----------------------------------------------------------------

  function onMessageReceived({ sessionId, message, replayed }) {
    if (state.incoming.has(message.id)) return;
    const record = { sessionId, message, replayed };
    state.incoming.set(message.id, record);
    $('incoming-list').prepend(renderIncoming(record));
    $('incoming-empty').hidden = true;
  }

  function renderIncoming(record) {
    const { message, sessionId } = record;
    const readState = el(
      'span',
      { className: 'read-state', 'data-testid': 'incoming-read', 'data-read': 'no' },
      'unread: activate to mark read',
    );
    const sender = message.pushname ? `${message.from} (${message.pushname})` : message.from;
    const text = el('span', { className: 'item-text' }, message.text || `(${message.type} without text)`);
    const button = el(
      'button',
      { type: 'button', className: 'incoming', 'data-testid': 'incoming-item', 'data-message-id': message.id },
      el(
        'span',
        { className: 'item-head' },
        el('strong', {}, `From ${sender}`),
        replayedBadge(record),
        el('span', { className: 'meta' }, clock(message.timestamp)),
      ),
      actions.quoted(message),
      text,
      el(
        'span',
        { className: 'meta' },
        `${message.type}${message.hasMedia ? ' with media' : ''} · ${message.isGroup ? `group${message.author ? `, by ${message.author}` : ''}` : 'direct chat'} · session ${sessionId}`,
      ),
      readState,
    );
    button.addEventListener('click', () => markRead(record, readState));
    const reply = el('button', { type: 'button', className: 'reply', 'data-testid': 'incoming-reply' }, 'Reply');
    reply.addEventListener('click', () => replyTo(message));
    const marks = actions.track(sessionId, message.id, text);
    const controls = actions.controls({ sessionId, messageId: message.id, own: false });
    if (!message.hasMedia) return el('li', {}, button, marks, reply, controls);
    const media = el('div', { className: 'media', 'data-testid': 'incoming-media' });
    const download = el('button', { type: 'button', className: 'reply', 'data-testid': 'incoming-download' }, 'Download');
    download.addEventListener('click', () => downloadMedia(record, media));
    return el('li', {}, button, marks, reply, download, controls, media);
  }

  // slice "media download" (issue 14)
  /** Asks for a received message's file: an image is shown inline, and every file offered to save. */
  function downloadMedia({ sessionId, message }, target) {
    target.textContent = '… downloading (download_media)';
    request('download_media', { sessionId, messageId: message.id }, async (response) => {
      if (!response.ok) {
        target.textContent = `✗ Error ${response.error.code}: ${response.error.message}`;
        return;
      }
      try {
        showMedia(response.data, await mediaHref(response.data), target);
      } catch (error) {
        target.textContent = `✗ ${error.message}`;
      }
    });
  }

  /** Inline base64 as a data: URL; a /media/ link fetched with the API key (a header, so not an <img src>) as a blob. */
  async function mediaHref({ data, url, mimetype }) {
    if (data !== undefined) return `data:${mimetype};base64,${data}`;
    const token = $('api-key').value.trim();
    const response = await fetch(`${normalizeUrl($('server-url').value)}${url}`, token ? { headers: { 'x-api-key': token } } : {});
    if (!response.ok) throw new Error(`the media link answered ${response.status}`);
    return URL.createObjectURL(await response.blob());
  }

  function showMedia(media, href, target) {
    const name = media.fileName || `media-${media.messageId.slice(-8)}`;
    const how = media.url ? `link, until ${clock(media.expiresAt)}` : 'inline';
    const save = el(
      'a',
      { href, download: name, 'data-testid': 'media-save' },
      `Save ${name} (${media.mimetype}, ${media.size} bytes, ${how})`,
    );
    const image = media.mimetype.startsWith('image/')
      ? el('img', { src: href, alt: `image from ${media.messageId}`, className: 'media-preview', 'data-testid': 'media-image' })
      : null;
    target.replaceChildren(...[image, save].filter(Boolean));
  }

  /** Fills the send form to answer `message` in its chat, quoting it. */
  function replyTo(message) {
    $('send-to').value = message.chatId;
    $('send-quoted').value = message.id;
    $('send-type').value = 'text';
    onTypeChange();
    $('send-text').focus();
  }

  function markRead(record, readState) {
    readState.dataset.read = 'pending';
    readState.textContent = '… marking read';
    request('read_message', { sessionId: record.sessionId, messageKey: record.message.key }, (response) => {
      readState.dataset.read = response.ok ? 'yes' : 'error';
      readState.textContent = response.ok
        ? '✓ marked read (message_read)'
        : `✗ could not mark read: Error ${response.error.code}: ${response.error.message}`;
    });
  }

  // ---- contacts -------------------------------------------------------------------------

  const contactQuery = () => ({ sessionId: currentSessionId(), phoneNumber: $('contact-number').value.trim() });

  function renderProfile(data) {
    const info = data.profileInfo;
    const row = (term, value) => [el('dt', {}, term), el('dd', {}, value === null || value === '' ? '—' : String(value))];
    const details = el(
      'dl',
      { className: 'profile' },
      ...row('Chat id', info.jid),
      ...row('Name', info.name),
      ...row('Push name', info.pushname),
      ...row('About', info.about),
      ...row('Business', info.isBusiness ? 'yes' : 'no'),
    );
    const picture = info.profilePicUrl
      ? el('img', {
          src: info.profilePicUrl,
          alt: `Profile picture of ${info.name || info.jid}`,
          className: 'avatar',
          'data-testid': 'profile-picture',
        })
      : el('p', { className: 'hint' }, 'No profile picture (or hidden by privacy settings).');
    return { content: [`Profile of ${data.phoneNumber}:`, picture, details] };
  }

  function typing() {
    const { sessionId, phoneNumber } = contactQuery();
    ask(
      'send_typing',
      { sessionId, to: phoneNumber, state: $('typing-state').value },
      $('typing-result'),
      (data) => `Typing state ${data.state} (isTyping ${data.isTyping}) in the chat with ${data.to}.`,
    );
  }

  function wireContactForm() {
    $('contact-form').addEventListener('submit', (event) => {
      event.preventDefault();
      ask('check_phone_number', contactQuery(), $('check-result'), (data) =>
        data.exists
          ? `${data.phoneNumber} is on WhatsApp (jid ${data.jid}).`
          : { result: 'warn', content: `${data.phoneNumber} is not on WhatsApp.` },
      );
    });
    $('get-profile').addEventListener('click', () => ask('get_profile_info', contactQuery(), $('profile-result'), renderProfile));
    $('typing-state').replaceChildren(...PROTOCOL.typingStates.map((typingState) => el('option', { value: typingState }, typingState)));
    $('send-typing').addEventListener('click', typing);
  }

  // ---- subscription and sandbox -----------------------------------------------------

  function parseSessionIds(raw) {
    const text = raw.trim();
    if (text === '*' || text === '') return '*';
    return text
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
  }

  function wireToolForms() {
    $('subscribe-form').addEventListener('submit', (event) => {
      event.preventDefault();
      ask('subscribe', { sessionIds: parseSessionIds($('subscribe-ids').value) }, $('subscribe-result'), (data) => {
        state.subscription = data.sessionIds;
        return data.sessionIds === '*' ? 'Following every session.' : `Following: ${data.sessionIds.join(', ') || 'no session'}.`;
      });
    });
    $('inject-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const payload = { sessionId: currentSessionId(), from: $('inject-from').value.trim(), text: $('inject-text').value };
      ask('sandbox_inject_message', payload, $('inject-result'), (data) => {
        onMessageReceived(data);
        return `Injected into ${data.sessionId}: “${data.message.text}” from ${data.message.from}.`;
      });
    });
  }

  // ---- server events ----------------------------------------------------------------

  const serverEventHandlers = {
    session_status: (p) => {
      const changes = { status: p.status, phoneNumber: p.phoneNumber, pushname: p.pushname, queueDepth: p.queueDepth };
      if (p.status === 'qr') changes.qrCode = p.qrCode || sessionState(p.sessionId).qrCode;
      else changes.qrCode = undefined;
      if (p.status !== 'pairing') changes.pairing = undefined;
      updateSession(p.sessionId, changes);
    },
    qr_code: (p) => updateSession(p.sessionId, { status: 'qr', qrCode: p.qrCode, attempt: p.attempt }),
    pairing_code: (p) =>
      updateSession(p.sessionId, { status: 'pairing', pairing: { code: p.code, phoneNumber: p.phoneNumber, attempt: p.attempt } }),
    session_connected: (p) =>
      updateSession(p.sessionId, {
        status: 'connected',
        phoneNumber: p.phoneNumber,
        pushname: p.pushname,
        qrCode: undefined,
        reason: undefined,
      }),
    session_disconnected: (p) => updateSession(p.sessionId, { reason: p.reason, qrCode: undefined }),
    session_error: (p) => {
      if (p.sessionId && p.event === 'start_session') updateSession(p.sessionId, { error: { code: p.code, message: p.message } });
    },
    message_sent: rememberSent,
    message_ack: onMessageAck,
    message_received: onMessageReceived,
    message_reaction: actions.onReaction,
    message_edited: actions.onEdited,
    message_revoked: actions.onRevoked,
    subscribed: (p) => showResumeReport(p.replayed),
    gateway_shutdown: (p) =>
      setConnState(
        'reconnecting',
        `The gateway is shutting down (queued messages get ${Math.round(p.graceMs / 1000)} s); it will reconnect when the gateway is back.`,
      ),
  };

  // ---- raw event log ------------------------------------------------------------------

  const DIRECTIONS = { out: '→ sent', in: '← event', ack: '↩ answer', system: '• connection' };

  function addLog(direction, event, payload) {
    const entry = { time: new Date(), direction, event, text: pretty(payload), badge: replayedBadge(payload) };
    entry.search = `${DIRECTIONS[direction]} ${event} ${entry.text}`.toLowerCase();
    state.log.push(entry);
    if (state.log.length > LOG_LIMIT) {
      const dropped = state.log.shift();
      if (dropped.node) dropped.node.remove();
    }
    if (matchesFilter(entry)) $('log').prepend(logNode(entry));
    updateLogCount();
  }

  function logNode(entry) {
    if (!entry.node) {
      entry.node = el(
        'li',
        { className: 'log-entry', 'data-testid': 'log-entry', 'data-direction': entry.direction, 'data-event': entry.event },
        el(
          'div',
          { className: 'log-meta' },
          el('time', { datetime: entry.time.toISOString() }, preciseClock(entry.time)),
          el('span', { className: 'direction' }, DIRECTIONS[entry.direction]),
          el('strong', {}, entry.event),
          entry.badge,
        ),
        el('pre', {}, entry.text),
      );
    }
    return entry.node;
  }

  function matchesFilter(entry) {
    const filter = $('log-filter').value.trim().toLowerCase();
    return !filter || entry.search.includes(filter);
  }

  function renderLog() {
    const shown = state.log.filter(matchesFilter).reverse().map(logNode);
    $('log').replaceChildren(...shown);
    updateLogCount();
  }

  function updateLogCount() {
    const shown = $('log').childElementCount;
    const total = state.log.length;
    $('log-count').textContent = shown === total ? `${total} events` : `${shown} of ${total} events shown`;
  }

  function wireLog() {
    $('log-filter').addEventListener('input', renderLog);
    $('log-clear').addEventListener('click', () => {
      state.log = [];
      renderLog();
    });
  }

  // ---- start --------------------------------------------------------------------------

  function init() {
    $('server-url').value = defaultServerUrl();
    $('connection-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const busy = ['connecting', 'connected', 'reconnecting', 'unreachable'].includes($('conn-state').dataset.state);
      if (busy) disconnect();
      else void connect();
    });
    wireSessionForm();
    wireSendForm();
    wireMessageStatusForm();
    wireContactForm();
    chats.wire();
    wireToolForms();
    wireGroupForm();
    wireLog();
    renderSession();
  }

  init();
})();
