/**
 * What the sandbox remembers of a session's messages, by chat too (history.ts): the chat list reads
 * each chat's messages from that index, so it must agree with the messages themselves as they come,
 * change and go, the oldest dropped past 1,000.
 */
import { describe, expect, it } from 'vitest';
import { SandboxHistory, type KnownMessage } from '../../../src/engines/sandbox/history';

const A = '6281111111111@c.us';
const B = '6282222222222@c.us';

function known(id: string, chatId: string, text = id): KnownMessage {
  return { id, chatId, from: chatId.split('@')[0]!, text, type: 'text' };
}

const idsOf = (history: SandboxHistory, chatId: string) => history.ofChat(chatId).map((message) => message.id);

describe('the sandbox history by chat', () => {
  it("keeps each chat's messages oldest first; a message remembered again keeps its place", () => {
    const history = new SandboxHistory();
    for (const [id, chat] of [
      ['a1', A],
      ['b1', B],
      ['a2', A],
      ['a3', A],
    ] as const)
      history.remember(known(id, chat));
    history.remember(known('a2', A, 'edited'));
    expect(idsOf(history, A)).toEqual(['a1', 'a2', 'a3']);
    expect(history.ofChat(A)[1]!.text).toBe('edited');
    expect(idsOf(history, B)).toEqual(['b1']);
    expect([...history.chatIds()]).toEqual([A, B]);
  });

  it('a chat whose last message is forgotten is no chat any more', () => {
    const history = new SandboxHistory();
    history.remember(known('a1', A));
    history.remember(known('b1', B));
    history.forget('b1');
    expect(history.hasChat(B)).toBe(false);
    expect(idsOf(history, B)).toEqual([]);
    expect([...history.chatIds()]).toEqual([A]);
  });

  it('forgetting a chat forgets its messages, and only those', () => {
    const history = new SandboxHistory();
    history.remember(known('a1', A));
    history.remember(known('b1', B));
    history.forgetChat(A);
    expect(history.hasChat(A)).toBe(false);
    expect(() => history.get('a1')).toThrow(expect.objectContaining({ code: 'message_not_found' }));
    expect(history.get('b1').chatId).toBe(B);
  });

  it('past 1,000 messages the oldest go, from their chat too', () => {
    const history = new SandboxHistory();
    history.remember(known('b-old', B));
    for (let n = 0; n < 1_000; n += 1) history.remember(known(`a${n}`, A));
    expect(history.hasChat(B)).toBe(false);
    expect(history.ofChat(A)).toHaveLength(1_000);
    history.remember(known('b-new', B));
    expect(idsOf(history, A)[0]).toBe('a1');
    expect(idsOf(history, B)).toEqual(['b-new']);
  });
});
