/**
 * The protocol facts the test console (public/whatsapp-test.js) acts on, so
 * the page cannot drift from the gateway: which error event answers each
 * request, which codes are the gateway's, what each session status means, the
 * order of acks, what each message type needs and the typing states.
 *
 * Written as a classic script that sets window.GATEWAY_PROTOCOL rather than as
 * JSON: the page also runs opened from disk, where Chromium refuses a fetch of
 * the file next to it (and a module script) but loads a <script src>.
 */
import { requests } from '../../src/protocol/events';
import { ACK_FAILED, ACK_PROGRESS, MESSAGE_TYPE_NEEDS, SESSION_STATUS_MEANINGS, TYPING_STATES } from '../../src/protocol/schemas';
import { errorCodes, GENERATED_NOTE, requestNames } from './names';

/** What protocol.js holds, as public/whatsapp-test.js reads it. */
export interface ConsoleProtocol {
  version: string;
  /** The error event of each request. */
  errorEvents: Record<string, string>;
  /** The codes the gateway sends; the page's own (not_connected, timeout) are not among them. */
  errorCodes: readonly string[];
  /** What each session status means. */
  sessionStatuses: Record<string, string>;
  /** The acks in the order a message gets them, and the one that says it failed (at any step). */
  ackProgress: readonly string[];
  ackFailed: string;
  /** The field each message type needs. */
  messageTypes: Record<string, (typeof MESSAGE_TYPE_NEEDS)[keyof typeof MESSAGE_TYPE_NEEDS]>;
  /** The states send_typing shows, in the order the page offers them. */
  typingStates: readonly string[];
}

export function consoleProtocol(version: string): ConsoleProtocol {
  return {
    version,
    errorEvents: Object.fromEntries(requestNames.map((name) => [name, requests[name].error])),
    errorCodes,
    sessionStatuses: SESSION_STATUS_MEANINGS,
    ackProgress: ACK_PROGRESS,
    ackFailed: ACK_FAILED,
    messageTypes: MESSAGE_TYPE_NEEDS,
    typingStates: TYPING_STATES,
  };
}

export const consoleScript = (facts: ConsoleProtocol) =>
  [
    `// ${GENERATED_NOTE}`,
    '// The protocol facts the test console acts on (scripts/protocol-docs/console.ts).',
    `window.GATEWAY_PROTOCOL = ${JSON.stringify(facts, null, 2)};`,
    '',
  ].join('\n');
