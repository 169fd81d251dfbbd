/**
 * React, edit, delete and forward run our page scripts (message-action-scripts.ts) with exactly the
 * message id and arguments asked; their outcomes become stable codes. Presence is the library's own call.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DELETE_MESSAGE,
  EDIT_MESSAGE,
  FORWARD_MESSAGE,
  REACT_TO_MESSAGE,
  type ActionOutcome,
} from '../../../src/engines/wwebjs/message-action-scripts';
import { startedHarnessPerTest } from './session-harness';

const CHAT = '6281111111111@c.us';
const MESSAGE = `true_${CHAT}_3EB0OUT1`;
const OTHER_CHAT = '6282222222222@c.us';

const h = startedHarnessPerTest();
beforeEach(() => {
  answerAll('done');
});

const page = () => h.client().pupPage!;
/** Every action script answers `outcome`. */
function answerAll(outcome: ActionOutcome): void {
  page().answer(REACT_TO_MESSAGE, () => outcome);
  page().answer(EDIT_MESSAGE, () => outcome);
  page().answer(DELETE_MESSAGE, () => outcome);
  page().answer(FORWARD_MESSAGE, () => outcome);
}
const actions = () => h.session.messageActions;

describe('the page scripts, with the exact arguments', () => {
  it('react, edit, delete (for me and for everyone) and forward', async () => {
    await actions().react(MESSAGE, '👍');
    await actions().react(MESSAGE, '');
    await actions().edit(MESSAGE, 'changed');
    await actions().delete(MESSAGE, false);
    await actions().delete(MESSAGE, true);
    await actions().forward(MESSAGE, OTHER_CHAT);
    expect(page().scriptCalls(REACT_TO_MESSAGE)).toEqual([
      { messageId: MESSAGE, emoji: '👍' },
      { messageId: MESSAGE, emoji: '' },
    ]);
    expect(page().scriptCalls(EDIT_MESSAGE)).toEqual([{ messageId: MESSAGE, text: 'changed' }]);
    expect(page().scriptCalls(DELETE_MESSAGE)).toEqual([
      { messageId: MESSAGE, forEveryone: false },
      { messageId: MESSAGE, forEveryone: true },
    ]);
    expect(page().scriptCalls(FORWARD_MESSAGE)).toEqual([{ messageId: MESSAGE, chatId: OTHER_CHAT }]);
  });
});

describe('what the page answers becomes a stable code', () => {
  it.each([
    ['react', 'not_found', 'message_not_found', () => actions().react(MESSAGE, '👍')],
    ['edit', 'not_found', 'message_not_found', () => actions().edit(MESSAGE, 'x')],
    ['edit', 'not_ours', 'message_not_editable', () => actions().edit(MESSAGE, 'x')],
    ['edit', 'not_editable', 'message_not_editable', () => actions().edit(MESSAGE, 'x')],
    ['delete', 'not_revocable', 'message_not_revocable', () => actions().delete(MESSAGE, true)],
    ['forward', 'not_found', 'message_not_found', () => actions().forward(MESSAGE, OTHER_CHAT)],
  ] as const)('%s answered %s: %s', async (_, outcome, code, act) => {
    answerAll(outcome);
    await expect(act()).rejects.toMatchObject({ code, message: expect.stringContaining(MESSAGE) });
  });

  it('a page error is an engine_error', async () => {
    page().answer(REACT_TO_MESSAGE, () => {
      throw new Error('sendReactionToMsg failed');
    });
    await expect(actions().react(MESSAGE, '👍')).rejects.toMatchObject({ code: 'engine_error', message: 'sendReactionToMsg failed' });
  });
});

describe('presence', () => {
  it('calls sendPresenceAvailable / sendPresenceUnavailable', async () => {
    await actions().setPresence(true);
    await actions().setPresence(false);
    expect(h.client().sendPresenceAvailable).toHaveBeenCalledOnce();
    expect(h.client().sendPresenceUnavailable).toHaveBeenCalledOnce();
  });
});
