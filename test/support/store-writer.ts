/**
 * A process that writes to a SQLite store for ever, saying on stdout what each finished write was:
 * the store tests kill it with SIGKILL at some point and check that everything it said survived.
 *   node --import tsx test/support/store-writer.ts <file>
 */
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';

async function main(): Promise<void> {
  const store = new SqliteStore({ file: process.argv[2]!, sync: 'normal' });
  for (let i = 1; ; i += 1) {
    const entry = await store.outbox.add(
      's1',
      { sessionId: 's1', to: '6281', type: 'text', message: `m${i}`, clientMessageId: `c${i}` },
      i,
    );
    await store.outbox.markSending(entry.id, '6281@c.us', i);
    await store.outbox.markSent(entry.id, { messageId: `id${i}`, chatId: '6281@c.us', sentAt: i }, i);
    const seq = await store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: `id${i}`, ack: 'server' }, i);
    process.stdout.write(`ok ${entry.id} ${seq}\n`);
  }
}

void main();
