/*
 * The test console's chats (issue 15): List chats (get_chats, More for the next page) shows each
 * chat with its unread count and flags; a chat's History button asks for its newest messages
 * (fetch_messages) and Load earlier for the page before them, newest first.
 * Loaded before whatsapp-test.js, which hands it its helpers (`el`, `ask`, `sessionId`).
 */
'use strict';

window.WhatsAppTestChats = function chats({ el, ask, sessionId }) {
  const CHATS_PAGE = 20;
  const HISTORY_PAGE = 20;
  const $ = (id) => document.getElementById(id);
  /** The walk under way: the next cursor of get_chats, and the chat whose history is shown with its next `before`. */
  const walk = { cursor: null, chatId: null, before: null };

  const clock = (ms) => (ms ? new Date(ms).toLocaleString() : 'no activity');

  function badges(chat) {
    const shown = [
      chat.unreadCount ? `${chat.unreadCount} unread` : chat.markedUnread ? 'marked unread' : null,
      chat.isGroup ? 'group' : null,
      chat.pinned ? 'pinned' : null,
      chat.archived ? 'archived' : null,
      chat.muted ? (chat.mutedUntil ? `muted until ${new Date(chat.mutedUntil).toLocaleString()}` : 'muted') : null,
    ];
    return shown.filter(Boolean).map((text) => el('span', { className: 'badge' }, text));
  }

  function chatItem(chat) {
    const history = el('button', { type: 'button', title: 'fetch_messages', 'data-testid': 'chat-history' }, 'History');
    history.addEventListener('click', () => showHistory(chat.id));
    return el(
      'li',
      { className: 'item', 'data-testid': 'chat-item', 'data-chat-id': chat.id },
      el('span', { className: 'item-head' }, el('strong', {}, chat.name), el('span', { className: 'meta' }, clock(chat.lastMessageAt))),
      el('span', { className: 'meta' }, chat.id, ' ', ...badges(chat)),
      el('div', { className: 'buttons' }, history),
    );
  }

  function listChats(more) {
    const payload = { sessionId: sessionId(), limit: CHATS_PAGE, ...(more && walk.cursor && { cursor: walk.cursor }) };
    ask('get_chats', payload, $('chats-result'), (data) => {
      if (!more) $('chat-list').replaceChildren();
      $('chat-list').append(...data.chats.map(chatItem));
      walk.cursor = data.nextCursor;
      $('chats-more').hidden = !data.nextCursor;
      $('chats-empty').hidden = $('chat-list').children.length > 0;
      return `${data.chats.length} chat(s)${data.nextCursor ? ', more with More chats' : ', the last page'} (chat_list).`;
    });
  }

  function historyItem(message) {
    return el(
      'li',
      { className: 'item', 'data-testid': 'history-item', 'data-message-id': message.id },
      el(
        'span',
        { className: 'item-head' },
        el('strong', {}, message.fromMe ? 'You' : message.pushname || message.from),
        el('span', { className: 'meta' }, new Date(message.timestamp).toLocaleString()),
      ),
      el('span', { 'data-testid': 'history-text' }, message.text || `(${message.type})`),
    );
  }

  function showHistory(chatId, earlier) {
    if (!earlier) {
      walk.chatId = chatId;
      walk.before = null;
      $('history-chat').textContent = chatId;
      $('history-list').replaceChildren();
      $('history').hidden = false;
    }
    const payload = { sessionId: sessionId(), chatId, limit: HISTORY_PAGE, ...(earlier && { before: walk.before }) };
    ask('fetch_messages', payload, $('history-result'), (data) => {
      $('history-list').append(...data.messages.map(historyItem));
      walk.before = data.nextBefore;
      $('history-earlier').hidden = !data.nextBefore;
      return `${data.messages.length} message(s)${data.nextBefore ? '; Load earlier for more' : ', nothing older'} (chat_messages).`;
    });
  }

  function wire() {
    $('chats-list').addEventListener('click', () => listChats(false));
    $('chats-more').addEventListener('click', () => listChats(true));
    $('history-earlier').addEventListener('click', () => showHistory(walk.chatId, true));
  }

  return { wire };
};
