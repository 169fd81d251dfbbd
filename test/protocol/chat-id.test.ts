import { describe, expect, it } from 'vitest';
import { chatIdOfMessage, toChatId, toGroupId, toPersonId, toPhoneNumber, toPublicAddress } from '../../src/protocol/chat-id';

describe('toChatId', () => {
  it.each([
    ['6282284316465', '6282284316465@c.us'],
    ['+62 822-8431-6465', '6282284316465@c.us'],
    [' 6282284316465@c.us ', '6282284316465@c.us'],
    ['120363021234567890@g.us', '120363021234567890@g.us'],
    ['6281234567-1600000000@g.us', '6281234567-1600000000@g.us'],
    ['123456789012345@lid', '123456789012345@lid'],
    ['(1) 555 123-4567', '15551234567@c.us'],
  ])('accepts %j', (input, expected) => {
    expect(toChatId(input)).toBe(expected);
  });

  it.each(['', 'abc', '12345', '1234567890123456', '62822@s.whatsapp.net', '6282284316465@c.us.evil', '++62 822', '62\n822843164'])(
    'refuses %j with invalid_number and a format hint',
    (input) => {
      expect(() => toChatId(input)).toThrow(
        expect.objectContaining({ code: 'invalid_number', message: expect.stringContaining('6282284316465') }),
      );
    },
  );
});

describe('toPhoneNumber (the number a pairing code is asked for)', () => {
  it.each([
    ['6282284316465', '6282284316465'],
    [' +62 822-8431-6465 ', '6282284316465'],
    ['6282284316465@c.us', '6282284316465'],
    ['(1) 555 123-4567', '15551234567'],
  ])('accepts %j as the digits %j', (input, expected) => {
    expect(toPhoneNumber(input)).toBe(expected);
  });

  it.each(['', 'abc', '12345', '1234567890123456', '120363021234567890@g.us', '123456789012345@lid', '62\n822843164'])(
    'refuses %j with invalid_number',
    (input) => {
      expect(() => toPhoneNumber(input)).toThrow(
        expect.objectContaining({ code: 'invalid_number', message: expect.stringContaining('is not a phone number') }),
      );
    },
  );
});

describe('toGroupId / toPersonId', () => {
  const GROUP = '120363021234567890@g.us';

  it('takes a group id for a group, and a number, …@c.us or …@lid for a person', () => {
    expect(toGroupId(` ${GROUP} `)).toBe(GROUP);
    expect(toPersonId('+62 822-8431-6465')).toBe('6282284316465@c.us');
    expect(toPersonId('123456789012345@lid')).toBe('123456789012345@lid');
  });

  it("refuses a person for a group with group_not_found, and a group for a person with invalid_number, in the caller's words", () => {
    expect(() => toGroupId('6282284316465')).toThrow(
      expect.objectContaining({ code: 'group_not_found', message: '6282284316465 is not a group id (…@g.us)' }),
    );
    expect(() => toPersonId(GROUP)).toThrow(
      expect.objectContaining({ code: 'invalid_number', message: `"${GROUP}" is a group; give a person's number, …@c.us or …@lid` }),
    );
    expect(() => toPersonId(GROUP, (input) => `${input} is a group, not a person`)).toThrow(
      expect.objectContaining({ code: 'invalid_number', message: `${GROUP} is a group, not a person` }),
    );
  });

  it('refuses what is no id at all with invalid_number, as toChatId does', () => {
    for (const convert of [toGroupId, toPersonId]) {
      expect(() => convert('nobody')).toThrow(
        expect.objectContaining({ code: 'invalid_number', message: expect.stringContaining('"nobody"') }),
      );
    }
  });
});

describe('toPublicAddress / chatIdOfMessage', () => {
  it('shows people as numbers and groups as ids', () => {
    expect(toPublicAddress('6282284316465@c.us')).toBe('6282284316465');
    expect(toPublicAddress('120363021234567890@g.us')).toBe('120363021234567890@g.us');
  });

  it('finds the chat of a key or of a serialized id', () => {
    expect(chatIdOfMessage({ remoteJid: '6282284316465@c.us' })).toBe('6282284316465@c.us');
    expect(chatIdOfMessage('false_120363021234567890@g.us_3EB0ABC_6282284316465@c.us')).toBe('120363021234567890@g.us');
    expect(() => chatIdOfMessage('nonsense')).toThrow(expect.objectContaining({ code: 'invalid_payload' }));
  });
});
