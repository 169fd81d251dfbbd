/**
 * The double's group invites (issue 15), for tests: approval mode (a phone switches it; the library
 * cannot) and people asking to join. See double/README.md, "Group invites". Re-exported by harness.ts.
 */
import type { DoublePage } from './harness';

interface InvitesHandle {
  setMembershipApproval(change: { groupId: string; on: boolean }): void;
  askToJoin(request: { groupId: string; requester: string }): boolean;
  membershipRequestsOf(groupId: string): string[];
}

/** An admin turns the group's approval mode on or off from their phone. */
export async function setMembershipApproval(page: DoublePage, groupId: string, on: boolean): Promise<void> {
  await page.evaluate((change) => (window.WADouble as unknown as InvitesHandle).setMembershipApproval(change), { groupId, on });
}

/** `requester` (a person id) asks to join through the group's link; false when they are in it or waiting already. */
export async function askToJoin(page: DoublePage, groupId: string, requester: string): Promise<boolean> {
  return page.evaluate((request) => (window.WADouble as unknown as InvitesHandle).askToJoin(request), { groupId, requester });
}

/** The ids of those waiting for approval, in the order they asked. */
export async function membershipRequestsOf(page: DoublePage, groupId: string): Promise<string[]> {
  return page.evaluate((id) => (window.WADouble as unknown as InvitesHandle).membershipRequestsOf(id), groupId);
}
