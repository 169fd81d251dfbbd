/** The catch-up's "delivered before?" check: the store is asked only about messages not newer than anything recorded. */
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger';
import type { IncomingMessage } from '../../src/protocol/schemas';
import { CatchUp } from '../../src/sessions/catch-up';
import { MemoryStore } from '../../src/storage/memory-store';

const message = (id: string, timestamp: number) => ({ id, timestamp }) as IncomingMessage;
const settled = () => new Promise((resolve) => setImmediate(resolve));

function catchUpOn(store = new MemoryStore()) {
  const known = vi.spyOn(store.delivered, 'known');
  return { store, known, catchUp: new CatchUp(store, { windowMs: 86_400_000, maxMessages: 500 }, silentLogger) };
}

describe('CatchUp.isNew', () => {
  it('takes a message newer than everything recorded as new without asking the store', async () => {
    const { catchUp, known } = catchUpOn();
    expect(await catchUp.isNew('s', message('a', 1_000))).toBe(true);
    catchUp.record('s', message('a', 1_000));
    expect(await catchUp.isNew('s', message('b', 2_000))).toBe(true);
    expect(known).not.toHaveBeenCalled();
  });

  it('asks the store about one not newer, and knows one delivered before', async () => {
    const { catchUp, known } = catchUpOn();
    catchUp.record('s', message('a', 1_000));
    await settled();
    expect(await catchUp.isNew('s', message('a', 1_000))).toBe(false);
    expect(await catchUp.isNew('s', message('older', 500))).toBe(true);
    expect(known).toHaveBeenCalledTimes(2);
  });

  it("uses the store's watermark of an earlier process", async () => {
    const store = new MemoryStore();
    const before = catchUpOn(store).catchUp;
    before.record('s', message('a', 1_000));
    await settled();
    const { catchUp, known } = catchUpOn(store);
    expect(await catchUp.isNew('s', message('a', 1_000))).toBe(false);
    expect(known).toHaveBeenCalledTimes(1);
  });

  it('counts a message as new when the store cannot answer, and asks again next time', async () => {
    const { store, catchUp } = catchUpOn();
    const watermark = vi.spyOn(store.delivered, 'watermark').mockRejectedValueOnce(new Error('disk gone'));
    expect(await catchUp.isNew('s', message('a', 1_000))).toBe(true);
    await settled();
    expect(await catchUp.isNew('s', message('b', 2_000))).toBe(true);
    expect(watermark).toHaveBeenCalledTimes(2);
  });
});
