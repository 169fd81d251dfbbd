// ---------- small helpers ----------
const randomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));
const toBase64 = (bytes) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};
const fromBase64 = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const randomHex = (n) =>
  Array.from(randomBytes(n), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
const sha256 = async (bytes) => toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
const nowSeconds = () => Math.floor(Date.now() / 1000);
const isUnknownNumber = (wid) => wid.server === 'c.us' && wid.user.endsWith('000'); // "not on WhatsApp"
const serverError = (status) => Object.assign(new Error(`server answered ${status}`), { name: 'ServerStatusCodeError', status });
const mediaTypeOf = (mimetype) => ['image', 'video', 'audio'].find((t) => mimetype.startsWith(`${t}/`)) ?? 'document';

// ---------- Backbone-like events, models and collections (what WhatsApp Web's models look like) ----------
class Emitter {
  #listeners = new Map();
  on(names, callback) {
    for (const name of names.split(' ')) {
      this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), callback]);
      this.onListen?.(name);
    }
    return this;
  }
  off(names, callback) {
    for (const name of names.split(' ')) {
      this.#listeners.set(
        name,
        (this.#listeners.get(name) ?? []).filter((l) => l !== callback && l.original !== callback),
      );
    }
    return this;
  }
  once(names, callback) {
    const wrapper = (...args) => {
      this.off(names, wrapper);
      callback(...args);
    };
    wrapper.original = callback;
    return this.on(names, wrapper);
  }
  listenerCount(name) {
    return this.#listeners.get(name)?.length ?? 0;
  }
  trigger(name, ...args) {
    for (const callback of this.#listeners.get(name) ?? []) callback(...args);
  }
}

// A WhatsApp Web id ("wid"): own properties server, user, _serialized, like the real one.
class Wid {
  constructor(jid) {
    const [user, server] = String(jid).split('@');
    if (!user || !server) throw new Error(`WhatsApp Web double: invalid wid ${jid}`);
    this.server = server === 's.whatsapp.net' ? 'c.us' : server;
    this.user = user;
    this._serialized = `${user}@${this.server}`;
  }
  isLid() {
    return this.server === 'lid';
  }
  isGroup() {
    return this.server === 'g.us';
  }
  isStatus() {
    return this._serialized === 'status@broadcast';
  }
  isUser() {
    return this.server === 'c.us' || this.server === 'lid';
  }
  isNewsletter() {
    return this.server === 'newsletter';
  }
  isBroadcast() {
    return this.server === 'broadcast';
  }
  equals(other) {
    return other?._serialized === this._serialized;
  }
  toString() {
    return this._serialized;
  }
  toJSON() {
    return this._serialized;
  }
}
const createWid = (value) => (value instanceof Wid ? value : new Wid(value?._serialized ?? value));

// WAWebMsgKey. Until mid-July 2026 (profile legacy) the constructor caches the serialized key in the own
// property `_serialized`. From WhatsApp Web 2.3000.1042401057 on (profiles 2026-07*) it caches it in the
// minified own property `$1`, toString() returns it, and keys have no `_serialized` at all (wa-js #3484,
// OpenWA #757). Wids keep `_serialized`.
class MsgKeyBase {
  constructor({ from, to, id, participant, selfDir, fromMe, remote }) {
    if (id == null) throw new Error('MsgKey error: obj is null/undefined');
    this.fromMe = fromMe ?? selfDir === 'out';
    this.remote = createWid(remote ?? (this.fromMe ? to : from));
    this.id = id;
    if (participant) this.participant = createWid(participant);
    this.cache([this.fromMe, this.remote.toString(), id, this.participant?.toString()].filter((p) => p !== undefined).join('_'));
  }
  static async newId() {
    return `3EB0${randomHex(8)}`;
  }
}
class LegacyMsgKey extends MsgKeyBase {
  cache(serialized) {
    this._serialized = serialized;
  }
  toString() {
    return this._serialized;
  }
}
class MinifiedMsgKey extends MsgKeyBase {
  cache(serialized) {
    this.$1 = serialized;
  }
  toString() {
    return this.$1;
  }
}
const MsgKey = profile.minifiedKeys ? MinifiedMsgKey : LegacyMsgKey;
// IndexedDB refuses a missing key; WhatsApp Web's minified error wrapper reports it as "r: r" (PR #201848).
const minifiedLookupError = () => Object.assign(new Error('r'), { name: 'r' });

// What crosses into Node: plain data only (class instances other than ids, blobs and typed arrays are dropped).
const plain = (value) => {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Wid || value instanceof MsgKeyBase) return value; // the real models keep them: JSON makes wids strings
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  return Object.fromEntries(
    Object.entries(value)
      .map(([k, v]) => [k, plain(v)])
      .filter(([, v]) => v !== undefined),
  );
};

class Model extends Emitter {
  constructor(attributes = {}) {
    super();
    Object.defineProperty(this, 'attributes', { value: {} });
    Object.defineProperty(this, 'collections', { value: new Set() });
    this.set(attributes);
  }
  set(key, value) {
    const changes = typeof key === 'string' ? { [key]: value } : key;
    const changed = [];
    for (const [name, next] of Object.entries(changes)) {
      if (!(name in this.attributes) && !(name in this)) {
        Object.defineProperty(this, name, { get: () => this.attributes[name], set: (v) => this.set(name, v), configurable: true });
      }
      const previous = this.attributes[name];
      this.attributes[name] = next;
      if (previous !== next) changed.push([name, next, previous]);
    }
    for (const [name, next, previous] of changed) this.trigger(`change:${name}`, this, next, previous);
    if (changed.length) this.trigger('change', this);
    return this;
  }
  trigger(name, ...args) {
    super.trigger(name, ...args);
    for (const collection of this.collections) collection.trigger(name, ...args);
  }
  serialize() {
    return plain(this.attributes);
  } // structured: ids stay objects (what page.evaluate returns)
  toJSON() {
    return { ...this.attributes };
  } // JSON.stringify (exposed-function arguments): ids become strings
}

class Collection extends Emitter {
  #models = new Map();
  constructor(modelClass) {
    super();
    this.modelClass = modelClass;
  }
  get(id) {
    return id == null ? undefined : this.#models.get(String(id)); // keyed by toString(), as on the real site
  }
  add(model, indexAs = String(model.id)) {
    model.collections.add(this);
    this.#models.set(indexAs, model);
    this.trigger('add', model, this);
    return model;
  }
  getModelsArray() {
    return [...this.#models.values()];
  }
  remove(modelOrId) {
    // Backbone's Collection.remove, of a model or by its id (issue 15: unblocking, clearing or deleting a chat).
    // No 'remove' event: the library's Chat 'remove' listener reads the chat again, which would make it anew here.
    const model = modelOrId?.collections ? modelOrId : this.get(modelOrId);
    if (!model) return undefined;
    for (const [key, value] of this.#models) if (value === model) this.#models.delete(key);
    model.collections.delete(this);
    return model;
  }
}

// ---------- media kept by the double's fake media server ----------
const mediaServer = new Map(); // directPath -> bytes
const upload = (bytes) => {
  const directPath = `/v/t62.7118-24/double_${randomHex(8)}.enc?ccb=11-4`;
  mediaServer.set(directPath, bytes);
  return {
    mmsUrl: `https://mmg.whatsapp.net${directPath}`,
    deprecatedMms3Url: `https://mmg.whatsapp.net${directPath}`,
    directPath,
    mediaKey: toBase64(randomBytes(32)),
    mediaKeyTimestamp: nowSeconds(),
    encFilehash: toBase64(randomBytes(32)),
    uploadHash: toBase64(randomBytes(32)),
  };
};
