/*
 * The test console's message actions and marks. Each listed message gets an Actions disclosure:
 * React (a few emoji, or Remove), Forward and Delete for me; a message the console's session sent
 * also Edit and Delete for everyone. Each answer is shown under the controls that asked.
 * A listed message also shows what happened to it in its chat: the message it quotes, its reactions
 * (message_reaction), the latest edit with the text before it (message_edited) and a deletion for
 * everyone (message_revoked). Those marks follow the events alone, never the page's own answers:
 * the events are what every follower of the session sees.
 * Loaded before whatsapp-test.js, which hands it its helpers (`el`, `ask`).
 */
'use strict';

window.WhatsAppTestActions = function messageActions({ el, ask }) {
  const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
  /** What each listed message shows, by `<sessionId> <messageId>`: its text, its marks and its reactions by who reacted. */
  const views = new Map();
  const viewKey = (sessionId, messageId) => `${sessionId} ${messageId}`;
  const viewOf = (payload) => views.get(viewKey(payload.sessionId, payload.messageId));

  function button(label, attributes, onClick) {
    const node = el('button', { type: 'button', ...attributes }, label);
    node.addEventListener('click', onClick);
    return node;
  }

  /** A text input with its label, and the button that submits it. */
  function inputForm(labelText, input, submit, onSubmit) {
    const form = el('form', { className: 'row', autocomplete: 'off' }, el('label', { className: 'field grow' }, labelText, input), submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      onSubmit(input.value);
    });
    return form;
  }

  // ---- requests --------------------------------------------------------------------

  const describeReaction = (data) => (data.emoji ? `Reaction ${data.emoji} sent (reaction_sent).` : 'Reaction removed (reaction_sent).');
  const describeDeletion = (data) =>
    data.forEveryone ? 'Deleted for everyone (message_deleted).' : 'Deleted on this account only (message_deleted).';

  /** The requests on one message; each answer goes to `result`. */
  function requestsOn(sessionId, messageId, result) {
    const on = (event, fields, describe) => ask(event, { sessionId, messageId, ...fields }, result, describe);
    return {
      react: (emoji) => on('react_to_message', { emoji }, describeReaction),
      forward: (to) => on('forward_message', { to: to.trim() }, (data) => `Forwarded to ${data.to} (${data.chatId}) (message_forwarded).`),
      edit: (text) => on('edit_message', { text }, (data) => `New text sent: “${data.text}” (message_edit_sent).`),
      remove: (forEveryone) => on('delete_message', { forEveryone }, describeDeletion),
    };
  }

  function reactButtons(act) {
    const pick = QUICK_EMOJI.map((emoji) =>
      button(
        emoji,
        { className: 'emoji', title: 'react_to_message', 'aria-label': `React with ${emoji}`, 'data-testid': 'react', 'data-emoji': emoji },
        () => act.react(emoji),
      ),
    );
    const remove = button('Remove reaction', { title: 'react_to_message, emoji ""', 'data-testid': 'react-remove' }, () => act.react(''));
    return el('div', { className: 'buttons', role: 'group', 'aria-label': 'React' }, ...pick, remove);
  }

  function forwardForm(act) {
    const to = el('input', { inputmode: 'tel', spellcheck: 'false', placeholder: 'number or chat id', 'data-testid': 'forward-to' });
    const submit = el('button', { type: 'submit', title: 'forward_message', className: 'align-end', 'data-testid': 'forward' }, 'Forward');
    return inputForm('Forward to', to, submit, act.forward);
  }

  function editForm(act, text) {
    const input = el('input', { value: text || '', spellcheck: 'false', 'data-testid': 'edit-text' });
    const submit = el('button', { type: 'submit', title: 'edit_message', className: 'align-end', 'data-testid': 'edit' }, 'Edit');
    return inputForm('New text', input, submit, act.edit);
  }

  /** Delete for me works on any message; for everyone only on the account's own (WhatsApp's rule outside groups one administers). */
  function deleteButtons(act, own) {
    const forMe = button('Delete for me', { title: 'delete_message, forEveryone: false', 'data-testid': 'delete-for-me' }, () =>
      act.remove(false),
    );
    const forEveryone = own
      ? button('Delete for everyone', { title: 'delete_message, forEveryone: true', 'data-testid': 'delete-for-everyone' }, () =>
          act.remove(true),
        )
      : null;
    return el('div', { className: 'buttons' }, forEveryone, forMe);
  }

  /** The Actions disclosure of a listed message; `own` (sent by this account) adds Edit and Delete for everyone. */
  function controls({ sessionId, messageId, text, own }) {
    const result = el('div', { className: 'result', role: 'status', 'aria-live': 'polite', hidden: true, 'data-testid': 'action-result' });
    const act = requestsOn(sessionId, messageId, result);
    return el(
      'details',
      { className: 'actions', 'data-testid': 'message-actions' },
      el('summary', {}, own ? 'React, forward, edit, delete' : 'React, forward, delete'),
      reactButtons(act),
      forwardForm(act),
      own ? editForm(act, text) : null,
      deleteButtons(act, own),
      result,
    );
  }

  // ---- what the chat did to a message -------------------------------------------------

  /** The message a reply quotes, shown above its text. */
  function quoted(message) {
    const quote = message.quoted;
    if (!quote) return null;
    return el(
      'span',
      { className: 'quoted', 'data-testid': 'quoted', 'data-quoted-id': quote.id },
      el('span', { className: 'meta' }, `↩ ${quote.from}`),
      ` ${quote.text || `(${quote.type})`}`,
    );
  }

  /** Remembers a listed message so that the chat's events can mark it; returns the node its marks go in. */
  function track(sessionId, messageId, textNode) {
    const mark = (testId) => el('p', { className: 'mark', 'data-testid': testId, hidden: true });
    const view = {
      text: textNode,
      reactions: new Map(),
      reactionsNode: mark('reactions'),
      edited: mark('edited'),
      revoked: mark('revoked'),
    };
    views.set(viewKey(sessionId, messageId), view);
    return el('div', { className: 'marks' }, view.reactionsNode, view.edited, view.revoked);
  }

  /** One reaction per person, as WhatsApp keeps them; "" takes theirs back. */
  function onReaction(payload) {
    const view = viewOf(payload);
    if (!view) return;
    if (payload.emoji) view.reactions.set(payload.from, payload.emoji);
    else view.reactions.delete(payload.from);
    const chips = [...view.reactions].map(([from, emoji]) =>
      el('span', { className: 'reaction', 'data-from': from, 'data-emoji': emoji }, `${emoji} ${from}`),
    );
    view.reactionsNode.hidden = !chips.length;
    view.reactionsNode.replaceChildren('Reactions: ', ...chips);
  }

  function onEdited(payload) {
    const view = viewOf(payload);
    if (!view) return;
    view.text.hidden = false;
    view.text.textContent = payload.text;
    view.edited.hidden = false;
    view.edited.replaceChildren(el('span', { className: 'badge' }, 'edited'), ` — was “${payload.previousText}”`);
  }

  function onRevoked(payload) {
    const view = viewOf(payload);
    if (!view) return;
    view.text.dataset.revoked = 'yes';
    view.revoked.hidden = false;
    view.revoked.replaceChildren(el('span', { className: 'badge' }, 'deleted'), ` for everyone by ${payload.revokedBy}`);
  }

  return { controls, quoted, track, onReaction, onEdited, onRevoked };
};
