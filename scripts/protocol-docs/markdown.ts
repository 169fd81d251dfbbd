/** The protocol for people: docs/protocol.md, tables with stable anchors. */
import { ERROR_CODES } from '../../src/protocol/errors';
import { requests, serverEventNotes, type ServerEventName } from '../../src/protocol/events';
import { reportedStatusSchema, SESSION_STATUS_MEANINGS } from '../../src/protocol/schemas';
import { cell, code, fieldList, fieldTable, ruleSentences } from './field-tables';
import { takesNoPayload, type ProtocolSchemas } from './json-schema';
import { errorCodes, GENERATED_NOTE, requestNames, serverEventNames } from './names';

const link = (event: string) => `[${code(event)}](#${event})`;

export function buildMarkdown(schemas: ProtocolSchemas, version: string): string {
  return [
    `<!-- ${GENERATED_NOTE} -->`,
    '',
    '# WhatsApp Gateway Socket.IO protocol',
    '',
    `Version ${version}. The same protocol, machine-readable: [asyncapi.yaml](asyncapi.yaml) (AsyncAPI 3.0).`,
    '',
    '- [Connecting](#connecting)',
    '- [Requests](#requests) (client → server)',
    '- [Server events](#server-events) (server → client)',
    '- [Session statuses](#session-statuses)',
    '- [Acknowledgements](#acknowledgements)',
    '- [Error codes](#error-codes)',
    '',
    ...CONNECTING,
    ...requestSections(schemas),
    ...serverEventSections(schemas),
    '## Session statuses',
    '',
    'The `status` of `session_status` and `active_sessions`. A session starts at `starting`, shows `qr` until the code is scanned (skipped for a stored login) and is `connected` once logged in.',
    '',
    '| Status | Meaning |',
    '| --- | --- |',
    ...reportedStatusSchema.options.map(
      (status) => `| <a id="status-${status}"></a>${code(status)} | ${cell(SESSION_STATUS_MEANINGS[status])} |`,
    ),
    '',
    ...ACKNOWLEDGEMENTS,
    '## Error codes',
    '',
    'Every error event (`session_error`, `send_error`, `phone_check_error`) and every failed acknowledgement carries one of these codes; the message adds the detail. Codes are stable: branch on them, not on messages.',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    ...errorCodes.map((errorCode) => `| <a id="error-${errorCode}"></a>${code(errorCode)} | ${cell(ERROR_CODES[errorCode])} |`),
    '',
  ].join('\n');
}

function requestSections(schemas: ProtocolSchemas): string[] {
  const out = [
    '## Requests',
    '',
    'Every client → server event is a request. The gateway answers it with its success event or its error event (sent to the requesting connection), and, when the last argument is a callback, calls it with the [acknowledgement](#acknowledgements). A field marked `?` is optional.',
    '',
    '| Client event | Payload fields | Success event | Error event | Summary |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const name of requestNames) {
    const spec = requests[name];
    const schema = schemas.request(name);
    out.push(
      `| ${link(name)} | ${fieldList(schema, takesNoPayload(schema))} | ${link(spec.success)} | ${link(spec.error)} | ${cell(spec.summary)} |`,
    );
  }
  for (const name of requestNames) {
    const spec = requests[name];
    const schema = schemas.request(name);
    const noPayload = takesNoPayload(schema);
    const usage = noPayload ? `socket.emit('${name}', (ack) => …)` : `socket.emit('${name}', payload, (ack) => …)`;
    out.push('', `### ${name}`, '', spec.summary, '', fieldTable(schema, noPayload));
    const rules = ruleSentences(schema);
    if (rules.length) out.push('', `Also: ${rules.join(' ')}`);
    out.push(
      '',
      `${code(usage)} → success ${link(spec.success)}, error ${link(spec.error)}; the acknowledgement's \`data\` is the ${code(spec.success)} payload.`,
    );
  }
  return [...out, ''];
}

function serverEventSections(schemas: ProtocolSchemas): string[] {
  const answers = (event: ServerEventName) =>
    requestNames.filter((name) => requests[name].success === event || requests[name].error === event);
  const out = [
    '## Server events',
    '',
    'Session events go to every connection that follows the session: by default a connection follows every session its API key may see; `subscribe` narrows that.',
    '',
    '| Server event | Summary | Sent to | Answers |',
    '| --- | --- | --- | --- |',
  ];
  for (const event of serverEventNames) {
    const note = serverEventNotes[event];
    out.push(`| ${link(event)} | ${cell(note.summary)} | ${cell(note.delivery)} | ${answers(event).map(link).join(', ') || '—'} |`);
  }
  for (const event of serverEventNames) {
    const note = serverEventNotes[event];
    out.push('', `### ${event}`, '', `${note.summary} Sent to: ${note.delivery}.`, '', fieldTable(schemas.event(event)));
  }
  return [...out, ''];
}

const CONNECTING = [
  '## Connecting',
  '',
  'Socket.IO v4 at path `/ws` of the gateway (default `http://localhost:3000`, set by PORT and HOST), over WebSocket with HTTP long-polling as fallback:',
  '',
  '```js',
  "const { io } = require('socket.io-client');",
  "const socket = io('http://localhost:3000', { path: '/ws', auth: { token: process.env.API_KEY } });",
  '```',
  '',
  'When the gateway has API_KEY (or API_KEYS_FILE) set, every connection must present a key, in one of three ways:',
  '',
  '| Where | How |',
  '| --- | --- |',
  '| Socket.IO auth (preferred) | `io(url, { path: "/ws", auth: { token: KEY } })` |',
  '| HTTP header | `x-api-key: KEY` on the handshake request (`extraHeaders` in Node) |',
  '| Query parameter | `?token=KEY` (may end up in proxy logs) |',
  '',
  'A missing or wrong key fails the connection with `connect_error` "unauthorized".',
  '',
];

const ACKNOWLEDGEMENTS = [
  '## Acknowledgements',
  '',
  'Pass a callback as the last argument of any request to get its answer without listening to events:',
  '',
  '```js',
  "socket.emit('send_whatsapp_message', { sessionId: 'bot', to: '6282284316465', message: 'Hi' }, (ack) => {",
  '  if (ack.ok) console.log(ack.data.messageId); // data: the success event payload (message_sent)',
  '  else console.error(ack.error.code, ack.error.message);',
  '});',
  '```',
  '',
  '| Outcome | Callback argument |',
  '| --- | --- |',
  "| success | `{ ok: true, data }`: `data` is the payload of the request's success event |",
  '| failure | `{ ok: false, error: { code, message } }`: `code` is one of the [error codes](#error-codes), the same as in the error event |',
  '',
];
