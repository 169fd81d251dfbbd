/**
 * The double's groups (issue 15), for tests: groups someone else made, what others do in them, and what the
 * page holds. See double/README.md, "Groups". Re-exported by harness.ts.
 */
import type { DoublePage } from './harness';

/** A group as the page's GroupMetadata holds it. */
export interface DoubleGroup {
  id: string;
  subject: string;
  desc: string;
  owner?: string;
  announce: boolean;
  restrict: boolean;
  inviteCode: string;
  participants: Array<{ id: string; isAdmin: boolean; isSuperAdmin: boolean }>;
}

/** What others do: `by` adds, removes, promotes or demotes; `participants` join by link or leave (then `by` is unused). */
export interface DoubleGroupAction {
  groupId: string;
  action: 'add' | 'remove' | 'promote' | 'demote' | 'join' | 'leave';
  participants: string[];
  by?: string;
}

/** Someone else (`by`) changes the group's name, description or settings. */
export interface DoubleGroupChange {
  groupId: string;
  by: string;
  subject?: string;
  desc?: string;
  announce?: boolean;
  restrict?: boolean;
}

export interface DoublePictureUpload {
  chatId: string;
  /** data: URLs of the JPEGs the library made (96 and 640 pixels square). */
  thumbnail: string;
  profilePic: string;
}

interface GroupHandle {
  makeGroup(group: { subject: string; owner: string; participants?: string[]; admins?: string[] }): string;
  groupState(groupId: string): DoubleGroup | null;
  groupAction(action: DoubleGroupAction): string[];
  groupChange(change: DoubleGroupChange): void;
  pictureUploads(): DoublePictureUpload[];
}

/** A group `owner` created (its super admin), with `participants` (ids; `admins` among them are admins). Resolves with its id. */
export async function makeGroup(
  page: DoublePage,
  group: { subject: string; owner: string; participants?: string[]; admins?: string[] },
): Promise<string> {
  return page.evaluate((g) => (window.WADouble as unknown as GroupHandle).makeGroup(g), group);
}

export async function groupState(page: DoublePage, groupId: string): Promise<DoubleGroup | null> {
  return page.evaluate((id) => (window.WADouble as unknown as GroupHandle).groupState(id), groupId);
}

/** Resolves with the participants it changed (WhatsApp's rules skip some, e.g. the creator for a removal). */
export async function groupAction(page: DoublePage, action: DoubleGroupAction): Promise<string[]> {
  return page.evaluate((a) => (window.WADouble as unknown as GroupHandle).groupAction(a), action);
}

export async function groupChange(page: DoublePage, change: DoubleGroupChange): Promise<void> {
  await page.evaluate((c) => (window.WADouble as unknown as GroupHandle).groupChange(c), change);
}

/** The pictures set through the page since it loaded. */
export async function pictureUploads(page: DoublePage): Promise<DoublePictureUpload[]> {
  return page.evaluate(() => (window.WADouble as unknown as GroupHandle).pictureUploads());
}
