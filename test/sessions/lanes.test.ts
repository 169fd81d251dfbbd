import { describe, expect, it } from 'vitest';
import { chatLanes, messageLanes } from '../../src/sessions/lanes';

describe('send queue lanes', () => {
  it('are the chat an address or a message id names', () => {
    expect(chatLanes('+62 822-8431-6465')).toEqual(['6282284316465@c.us']);
    expect(chatLanes('120363000000000001@g.us')).toEqual(['120363000000000001@g.us']);
    expect(messageLanes('true_6282284316465@c.us_3EB0ABC')).toEqual(['6282284316465@c.us']);
  });

  it('are none (every lane) for what cannot be read', () => {
    expect(chatLanes('not a number')).toEqual([]);
    expect(messageLanes('no-underscores')).toEqual([]);
  });
});
