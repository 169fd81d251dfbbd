/**
 * The one source of truth for every payload on the wire. Runtime validation,
 * the TypeScript event maps (events/) and the published protocol document
 * are all derived from these schemas.
 *
 * One module per family of requests and events; a new family is a new file
 * here and one line below. fields.ts holds the building blocks the families
 * share (addresses, message ids, the event-log fields) and stays internal.
 */
export * from './common';
export * from './sessions';
export * from './sending';
export * from './message-status';
export * from './contacts';
export * from './account';
export * from './messaging';
export * from './message-actions';
export * from './chats';
export * from './receiving';
export * from './media';
export * from './simulation';
export * from './subscriptions';
export * from './group-invites';
export * from './catch-up';
export * from './groups';
