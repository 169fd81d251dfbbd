/** The test console's "Create a group" card (issue 15), in Chromium against a sandbox gateway. */
import { describe, expect, it } from 'vitest';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-world';
import { connectedConsole, sandbox, SESSION, shows, startSession, useConsoleBrowser } from '../support/console-page';

useConsoleBrowser();

describe('the console creates a group', () => {
  it('with the participants typed, and says who could not be added', async () => {
    const gateway = await sandbox({ SANDBOX_ECHO: '0' });
    const page = await connectedConsole(gateway);
    await startSession(page);
    await page.fill('#group-name', 'Console group');
    await page.fill('#group-participants', '6282284316465, 6281234567000');
    await page.click('#create-group');
    const text = await shows(page, 'group-result', /created \(group_created\)/);
    expect(text).toContain('not added: 6281234567000 (not_on_whatsapp)');
    const groupId = /Group (\S+@g\.us)/.exec(text)![1]!;
    const bot = await gateway.client();
    await expect(bot.request('get_group_info', { sessionId: SESSION, groupId })).resolves.toMatchObject({
      name: 'Console group',
      owner: sandboxPhoneNumber(SESSION),
      participants: [expect.objectContaining({ isSuperAdmin: true }), expect.objectContaining({ id: '6282284316465' })],
    });
  });
});
