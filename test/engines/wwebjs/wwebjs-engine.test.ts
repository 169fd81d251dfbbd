import { describe, expect, it } from 'vitest';
import { WwebjsEngine, type WwebjsEngineOptions } from '../../../src/engines/wwebjs/wwebjs-engine';
import { silentLogger } from '../../../src/logger';

const options: WwebjsEngineOptions = { dataDir: '/tmp/unused', chromeArgs: [], logger: silentLogger };

describe('WwebjsEngine', () => {
  it('is the wwebjs engine', () => {
    expect(new WwebjsEngine(options).name).toBe('wwebjs');
  });

  it('can start when the configured browser exists', () => {
    expect(() => new WwebjsEngine({ ...options, chromePath: process.execPath }).assertCanStart()).not.toThrow();
  });

  it('refuses to start without a browser', () => {
    expect(() => new WwebjsEngine({ ...options, chromePath: '/nonexistent/chrome' }).assertCanStart()).toThrow(
      expect.objectContaining({ code: 'browser_not_found' }),
    );
  });
});
