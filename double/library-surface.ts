/**
 * What whatsapp-web.js (and the engine's own page scripts) read from WhatsApp Web on the paths the
 * gateway uses: every `window.require('<module>')`, with the member and sub-member read from it. Read
 * from the installed library's source, so a library upgrade that reaches for something new shows up
 * by name (contract.test.ts), and `npm run live-check` can ask a real page for the same list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, type Node } from 'acorn';
import { PAGE_SCRIPTS } from '../src/engines/wwebjs/page-scripts';

/** One thing read from the page: `window.require(module)[member][sub]`. */
export interface PageRead {
  module: string;
  member?: string;
  sub?: string;
}

export interface SurfaceEntry extends PageRead {
  /** The first place on our paths that reads it, e.g. `Client.sendMessage` or `WWebJS.getChat`. */
  via: string;
}

/** The Client methods the engine calls (directly, or as the library runs itself: initialize → inject → …). */
export const CLIENT_ENTRY_POINTS = [
  'initialize',
  'inject',
  'attachEventListeners',
  'setDeviceName',
  'sendMessage',
  'sendSeen',
  'getContactById',
  'getProfilePicUrl',
  'getState',
  'getWWebVersion',
  'logout',
  // issue 14, pairing codes: inject() calls it when the Client has pairWithPhoneNumber
  'requestPairingCode',
  // chats (issue 15); _muteUnmuteChat is what muteChat and unmuteChat call
  'archiveChat',
  'unarchiveChat',
  'pinChat',
  'unpinChat',
  '_muteUnmuteChat',
  'markChatUnread',
  // groups (issue 15)
  'createGroup',
  'getChatById',
  'getCommonGroups',
  // group invites (issue 15)
  'getInviteInfo',
  'acceptInvite',
  'getGroupMembershipRequests',
  'approveGroupMembershipRequests',
  'rejectGroupMembershipRequests',
  // contacts and own account (issue 15)
  'getContacts',
  'getBlockedContacts',
  'getContactLidAndPhone',
  'setDisplayName',
  'setStatus',
  'setProfilePicture',
  'deleteProfilePicture',
];
/** Methods of library structures the engine calls. */
const STRUCTURE_ENTRY_POINTS = [
  ['Contact', 'getAbout'],
  ['Call', 'reject'],
  // chats (issue 15)
  ['Chat', 'clearMessages'],
  ['Chat', 'delete'],
  // groups (issue 15)
  ['GroupChat', 'addParticipants'],
  ['GroupChat', 'removeParticipants'],
  ['GroupChat', 'promoteParticipants'],
  ['GroupChat', 'demoteParticipants'],
  ['GroupChat', 'setSubject'],
  ['GroupChat', 'setDescription'],
  ['GroupChat', 'setMessagesAdminsOnly'],
  ['GroupChat', 'setInfoAdminsOnly'],
  ['GroupChat', 'setPicture'],
  ['GroupChat', 'getInviteCode'],
  ['GroupChat', 'leave'],
  // group invites (issue 15)
  ['GroupChat', 'revokeInvite'],
  // contacts (issue 15)
  ['Contact', 'block'],
  ['Contact', 'unblock'],
] as const;

const LIBRARY = path.dirname(require.resolve('whatsapp-web.js/package.json'));
const source = (file: string) => fs.readFileSync(path.join(LIBRARY, file), 'utf8');

type AnyNode = Node & Record<string, unknown>;

export function librarySurface(): SurfaceEntry[] {
  const utils = parseScript(source('src/util/Injected/Utils.js'));
  const helpers = wwebjsHelpers(utils);
  const client = classMethods(parseScript(source('src/Client.js')), 'Client');
  const found = new Map<string, SurfaceEntry>();
  const queued = new Set<string>();
  const queue: Array<{ via: string; node: AnyNode }> = [];
  const enqueue = (via: string, node: AnyNode | undefined) => {
    if (!node || queued.has(via)) return;
    queued.add(via);
    queue.push({ via, node });
  };

  const exposeAuthStore = parseScript(source('src/util/Injected/AuthStore/AuthStore.js'));
  authStore = authStoreModules(exposeAuthStore);
  enqueue('ExposeAuthStore', exposeAuthStore);
  enqueue('LoadUtils', loadUtilsStatements(utils));
  for (const name of CLIENT_ENTRY_POINTS) enqueue(`Client.${name}`, client.get(name));
  for (const [structure, method] of STRUCTURE_ENTRY_POINTS) {
    enqueue(`${structure}.${method}`, classMethods(parseScript(source(`src/structures/${structure}.js`)), structure).get(method));
  }
  // Reached from Node (Util.formatImageToWebpSticker), not from a page function the walk follows.
  enqueue('Util.formatToWebpSticker', helpers.get('toStickerData'));
  for (const [name, script] of Object.entries(PAGE_SCRIPTS)) enqueue(`page script ${name}`, parseScript(`(${script})`));

  while (queue.length) {
    const { via, node } = queue.shift()!;
    const { reads, helperCalls } = readsOf(node);
    for (const read of reads) {
      const key = [read.module, read.member, read.sub].join('.');
      if (!found.has(key)) found.set(key, { ...read, via });
    }
    for (const name of helperCalls) enqueue(`WWebJS.${name}`, helpers.get(name));
  }
  return [...found.values()].sort((a, b) => describeRead(a).localeCompare(describeRead(b)));
}

/** Reached by code on our paths, but only in branches the gateway never takes (yet). */
export const NOT_ON_OUR_PATHS: Record<string, string> = {
  WAWebBotMessageSecret: 'sendMessage to a bot (invokedBotWid)',
  WAWebBotProfileCollection: 'sendMessage to a bot (invokedBotWid)',
  WAWebGenerateEventCallLink: 'sending an event (ScheduledEvent)',
  WAWebMsgDataFromModel: 'sending to a channel',
  WAWebNewsletterSendMessageJob: 'sending to a channel',
  WAWebNewsletterUpdateMsgsRecordsJob: 'sending to a channel',
  WAWebLoadNewsletterPreviewChatAction: 'opening a channel',
  'WAWebCollections.WAWebNewsletterCollection': 'opening a channel',
  'WAWebCollections.NewsletterMetadataCollection': 'the model of a channel',
  'WAWebCollections.WAWebNewsletterMetadataCollection': 'the model of a channel',
  'WAWebMediaMmsV4Upload.uploadUnencryptedMedia': 'media for a channel',
  WAWebSendStatusMsgAction: 'posting a status',
  WAWebStatusGatingUtils: 'posting a status',
  WAWebMediaUpdateMsg: 'posting a media status',
  WAWebChatSendMessages: 'the private invite a group add sends to a 403 number: the engine passes autoSendInviteV4: false',
  'WAWebCollections.Contact.gadd': 'the private invite a group add sends to a 403 number: the engine passes autoSendInviteV4: false',
  'WAWebCollections.WAWebGroupMetadataCollection': 'the older name of GroupMetadata, read only when that is absent',
  'WAWebCollections.BusinessProfile': 'the profile of a business contact',
  WAMediaCalculateFilehash: 'media for a channel',
  WAWebMediaInMemoryBlobCache: 'media the site caches (shouldUseMediaCache is false in the double)',
  WAWebNonMessageDataRequestPlaceholderMessageResendUtils: 'asking the phone to resend a message that arrived undecryptable',
  'WAWebBackendJobsCommon.mediaTypeFromProtobuf': 'incoming location messages (hooked only when present)',
  'WAWebE2EProtoUtils.typeAttributeFromProtobuf': 'incoming location messages (hooked only when present)',
  'WAWebCmd.Cmd.refreshQR': 'refreshing an idle QR: the library calls it in Node, where it never reaches the page',
};

/** Whether a read is on a branch NOT_ON_OUR_PATHS excuses. */
export function excused(read: PageRead): boolean {
  return prefixes(read).some((prefix) => prefix in NOT_ON_OUR_PATHS);
}

/** `module`, `module.member`, `module.member.sub`: what an excuse may name. */
export function prefixes(read: PageRead): string[] {
  return [read.module, read.member && `${read.module}.${read.member}`, read.sub && describeRead(read)].filter(Boolean) as string[];
}

export function describeRead(read: PageRead): string {
  return [read.module, read.member, read.sub].filter(Boolean).join('.');
}

function parseScript(code: string): AnyNode {
  return parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true }) as unknown as AnyNode;
}

/** `window.WWebJS.<name> = <function>` assignments of LoadUtils. */
function wwebjsHelpers(program: AnyNode): Map<string, AnyNode> {
  const helpers = new Map<string, AnyNode>();
  walk(program, (node) => {
    if (node.type !== 'AssignmentExpression') return;
    const name = wwebjsMember(node.left as AnyNode);
    if (name) helpers.set(name, node.right as AnyNode);
  });
  return helpers;
}

/** What LoadUtils runs when it loads, besides defining the helpers (e.g. its injectToFunction hooks). */
function loadUtilsStatements(program: AnyNode): AnyNode {
  const statements: AnyNode[] = [];
  walk(program, (node) => {
    if (
      node.type !== 'AssignmentExpression' ||
      propertyName(node.left as AnyNode, (node.left as AnyNode).object as AnyNode) !== 'LoadUtils'
    )
      return;
    const body = ((node.right as AnyNode).body as AnyNode).body as AnyNode[];
    for (const statement of body) {
      const expression = statement.expression as AnyNode | undefined;
      const definesHelper = expression?.type === 'AssignmentExpression' && wwebjsMember(expression.left as AnyNode);
      if (!definesHelper) statements.push(statement);
    }
  });
  return { type: 'BlockStatement', body: statements } as unknown as AnyNode;
}

function classMethods(program: AnyNode, className: string): Map<string, AnyNode> {
  const methods = new Map<string, AnyNode>();
  walk(program, (node) => {
    if (node.type !== 'ClassDeclaration' || (node.id as AnyNode | null)?.name !== className) return;
    for (const method of (node.body as AnyNode).body as AnyNode[]) {
      const key = method.key as AnyNode;
      if (method.type === 'MethodDefinition' && key.type === 'Identifier') methods.set(key.name as string, method);
    }
  });
  return methods;
}

/** `window.AuthStore.<name> = window.require('<module>')[.<member>]` of ExposeAuthStore; set by librarySurface(). */
let authStore = new Map<string, PageRead>();

function authStoreModules(program: AnyNode): Map<string, PageRead> {
  const modules = new Map<string, PageRead>();
  walk(program, (node) => {
    if (node.type !== 'AssignmentExpression') return;
    const name = authStoreMember(node.left as AnyNode);
    const right = node.right as AnyNode;
    const module = requiredModule(right) ?? (right.type === 'MemberExpression' ? requiredModule(right.object as AnyNode) : undefined);
    if (!name || !module) return;
    const member = right.type === 'MemberExpression' ? propertyName(right, right.object as AnyNode) : undefined;
    modules.set(name, { module, ...(member && { member }) });
  });
  return modules;
}

/** `window.AuthStore.<name>` → name. */
function authStoreMember(node: AnyNode): string | undefined {
  return windowMember(node, 'AuthStore');
}

/** `window.AuthStore.<name>.<read>`: what is read from the module ExposeAuthStore put there. */
function authStoreRead(node: AnyNode, parents: AnyNode[]): PageRead[] {
  const name = authStoreMember(node);
  const target = name === undefined ? undefined : authStore.get(name);
  const read = target && propertyName(parents.at(-1), node);
  if (!target || !read || assigned(parents.at(-1)!, parents.at(-2))) return [];
  return [target.member ? { ...target, sub: read } : { module: target.module, member: read }];
}

/** The page reads inside `root`, and the `window.WWebJS.<name>` helpers it calls. */
function readsOf(root: AnyNode): { reads: PageRead[]; helperCalls: Set<string> } {
  const reads: PageRead[] = [];
  const helperCalls = new Set<string>();
  const aliases = new Map<string, string>(); // const Utils = window.require('X')
  walk(root, (node, parents) => {
    const helper = wwebjsMember(node);
    if (helper) helperCalls.add(helper);
    if (helper === 'injectToFunction') reads.push(...hookedFunction(parents.at(-1)));
    reads.push(...authStoreRead(node, parents));
    const module = requiredModule(node);
    if (module) {
      const parent = parents.at(-1);
      if (parent?.type === 'VariableDeclarator' && (parent.id as AnyNode).type === 'Identifier') {
        aliases.set((parent.id as AnyNode).name as string, module);
      }
      reads.push(...membersRead(module, node, parents));
    }
    if (node.type === 'Identifier' && aliases.has(node.name as string)) {
      const parent = parents.at(-1);
      if (parent?.type === 'MemberExpression' && parent.object === node)
        reads.push(...membersRead(aliases.get(node.name as string)!, node, parents));
    }
  });
  return { reads, helperCalls };
}

/** What is read from a module value at `node`: `.a.b`, a destructuring `{ a, b } =`, or nothing (used whole). */
function membersRead(module: string, node: AnyNode, parents: AnyNode[]): PageRead[] {
  const parent = parents.at(-1);
  if (parent?.type === 'VariableDeclarator' && (parent.id as AnyNode).type === 'ObjectPattern') {
    return ((parent.id as AnyNode).properties as AnyNode[]).flatMap((property) => {
      const key = property.key as AnyNode | undefined;
      return key?.type === 'Identifier' ? [{ module, member: key.name as string }] : [];
    });
  }
  const member = propertyName(parent, node);
  if (!member || assigned(parent!, parents.at(-2))) return [{ module }]; // X.member = …: written, not read
  const sub = propertyName(parents.at(-2), parent!);
  if (sub && assigned(parents.at(-2)!, parents.at(-3))) return [{ module, member }];
  return [{ module, member, ...(sub && { sub }) }];
}

function assigned(expression: AnyNode, parent: AnyNode | undefined): boolean {
  return parent?.type === 'AssignmentExpression' && parent.left === expression;
}

function propertyName(expression: AnyNode | undefined, object: AnyNode): string | undefined {
  if (expression?.type !== 'MemberExpression' || expression.object !== object) return undefined;
  const property = expression.property as AnyNode;
  if (!expression.computed && property.type === 'Identifier') return property.name as string;
  return property.type === 'Literal' && typeof property.value === 'string' ? property.value : undefined;
}

/** `window.WWebJS.injectToFunction({ module: 'X', function: 'a.b' }, …)`: the library wraps X.a.b when it exists. */
function hookedFunction(call: AnyNode | undefined): PageRead[] {
  const [target] = (call?.type === 'CallExpression' ? call.arguments : []) as AnyNode[];
  if (target?.type !== 'ObjectExpression') return [];
  const value = (name: string) => {
    const property = (target.properties as AnyNode[]).find((p) => (p.key as AnyNode | undefined)?.name === name);
    const literal = property?.value as AnyNode | undefined;
    return literal?.type === 'Literal' && typeof literal.value === 'string' ? literal.value : undefined;
  };
  const module = value('module');
  const [member, sub] = value('function')?.split('.') ?? [];
  return module ? [{ module, ...(member && { member }), ...(sub && { sub }) }] : [];
}

/** `window.require('<name>')` → name. */
function requiredModule(node: AnyNode): string | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee as AnyNode;
  const [arg] = node.arguments as AnyNode[];
  const isRequire =
    callee.type === 'MemberExpression' &&
    (callee.object as AnyNode).type === 'Identifier' &&
    (callee.object as AnyNode).name === 'window' &&
    propertyName(callee, callee.object as AnyNode) === 'require';
  return isRequire && arg?.type === 'Literal' && typeof arg.value === 'string' ? arg.value : undefined;
}

/** `window.WWebJS.<name>` → name. */
function wwebjsMember(node: AnyNode): string | undefined {
  return windowMember(node, 'WWebJS');
}

/** `window.<global>.<name>` → name. */
function windowMember(node: AnyNode, global: string): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  const object = node.object as AnyNode;
  if (object.type !== 'MemberExpression' || propertyName(object, object.object as AnyNode) !== global) return undefined;
  if ((object.object as AnyNode).type !== 'Identifier' || (object.object as AnyNode).name !== 'window') return undefined;
  return propertyName(node, object);
}

function walk(node: AnyNode, visit: (node: AnyNode, parents: AnyNode[]) => void, parents: AnyNode[] = []): void {
  visit(node, parents);
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string')
        walk(child as AnyNode, visit, [...parents, node]);
    }
  }
}
