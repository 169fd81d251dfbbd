/**
 * The protocol as an AsyncAPI 3.0 document: every request is a receive
 * operation whose reply is its acknowledgement, every server event a send
 * operation, payloads are the JSON Schema components of json-schema.ts.
 */
import type { JSONSchema7 } from 'json-schema';
import { ERROR_CODES } from '../../src/protocol/errors';
import { requests, serverEventNotes, type RequestName, type ServerEventName } from '../../src/protocol/events';
import { ERROR_CODE, ERROR_CODE_REF, SCHEMAS_PATH, takesNoPayload, type ProtocolSchemas } from './json-schema';
import { ackName, errorCodes, GENERATED_NOTE, payloadName, requestNames, serverEventNames } from './names';

interface Reference {
  $ref: string;
}

interface Message {
  name: string;
  title: string;
  summary: string;
  description?: string;
  payload: Reference;
}

interface Channel {
  address: string | null;
  title: string;
  description: string;
  servers?: Reference[];
  messages: Record<string, Reference>;
  bindings?: object;
}

interface Operation {
  action: 'send' | 'receive';
  channel: Reference;
  title: string;
  summary: string;
  description?: string;
  messages: Reference[];
  reply?: { channel: Reference; messages: Reference[] };
  'x-success-event'?: string;
  'x-error-event'?: string;
}

/** The parts of AsyncAPI 3.0 this document uses; the rest (servers, channels, security) is written out as is. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string; license: { name: string } };
  defaultContentType: string;
  servers: Record<string, object>;
  channels: Record<string, Channel>;
  operations: Record<string, Operation>;
  components: {
    schemas: Record<string, JSONSchema7>;
    messages: Record<string, Message>;
    securitySchemes: Record<string, object>;
  };
}

export interface PackageInfo {
  version: string;
  license?: string;
}

const ref = ($ref: string): Reference => ({ $ref });
const schemaRef = (name: string) => ref(`${SCHEMAS_PATH}${name}`);

export function buildAsyncApi(schemas: ProtocolSchemas, pkg: PackageInfo): AsyncApiDocument {
  const eventNames = new Set<string>(serverEventNames);
  const overlap = requestNames.filter((name) => eventNames.has(name));
  if (overlap.length) throw new Error(`client and server events share names: ${overlap.join(', ')}`);
  // Client events first, then server events, in the order of src/protocol/events/index.ts.
  const allEvents = [...requestNames, ...serverEventNames];

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'WhatsApp Gateway Socket.IO API',
      version: pkg.version,
      description: [
        'Every client → server event is a request: emit it with its payload (requests without a payload take none) and, optionally, an acknowledgement callback as the last argument.',
        'The gateway answers with the success event or the error event named in the operation, and calls the callback with `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.',
        'Session events (QR codes, connection changes, incoming messages, acks) go to every connection that follows the session: all sessions by default, see `subscribe`.',
        '',
        `Human-readable: docs/protocol.md. ${GENERATED_NOTE}`,
      ].join('\n'),
      license: { name: pkg.license ?? 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: { local: SERVER },
    channels: {
      gateway: {
        address: '/',
        title: 'Socket.IO connection',
        description:
          'The default Socket.IO namespace `/`. Each message is one Socket.IO event whose name is the message name and whose first argument is the payload.',
        servers: [ref('#/servers/local')],
        messages: Object.fromEntries(allEvents.map((event) => [event, ref(`#/components/messages/${event}`)])),
        bindings: WS_BINDINGS,
      },
      acknowledgements: {
        address: null,
        title: 'Acknowledgement callbacks',
        description: 'Not an event: the argument the gateway passes to the callback given as the last argument of a request.',
        messages: Object.fromEntries(requestNames.map((name) => [`${name}_ack`, ref(`#/components/messages/${name}_ack`)])),
      },
    },
    operations: Object.fromEntries([
      ...requestNames.map((name) => [name, requestOperation(name)] as const),
      ...serverEventNames.map((event) => [event, eventOperation(event)] as const),
    ]),
    components: {
      schemas: {
        ...Object.fromEntries(requestNames.map((name) => [payloadName(name), schemas.request(name)])),
        ...Object.fromEntries(serverEventNames.map((event) => [payloadName(event), schemas.event(event)])),
        ...Object.fromEntries(requestNames.map((name) => [ackName(name), ackSchema(name)])),
        AckError: ACK_ERROR,
        [ERROR_CODE]: errorCodeSchema(schemas.errorCode),
      },
      messages: {
        ...Object.fromEntries(requestNames.map((name) => [name, requestMessage(name, takesNoPayload(schemas.request(name)))])),
        ...Object.fromEntries(serverEventNames.map((event) => [event, eventMessage(event)])),
        ...Object.fromEntries(requestNames.map((name) => [`${name}_ack`, ackMessage(name)])),
      },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

// ---- requests -------------------------------------------------------------

function requestMessage(name: RequestName, noPayload: boolean): Message {
  const spec = requests[name];
  const usage = noPayload ? `socket.emit('${name}', ack)` : `socket.emit('${name}', payload, ack)`;
  return {
    name,
    title: name,
    summary: spec.summary,
    description: `Emit as \`${usage}\`${noPayload ? ' (no payload)' : ''}. Answered by \`${spec.success}\` or \`${spec.error}\`, and by the acknowledgement when a callback is passed.`,
    payload: schemaRef(payloadName(name)),
  };
}

function requestOperation(name: RequestName): Operation {
  const spec = requests[name];
  return {
    action: 'receive',
    channel: ref('#/channels/gateway'),
    title: name,
    summary: spec.summary,
    description: `Success: \`${spec.success}\`. Error: \`${spec.error}\`. Both go to the requesting connection (see the server events for who else receives them).`,
    messages: [ref(`#/channels/gateway/messages/${name}`)],
    reply: {
      channel: ref('#/channels/acknowledgements'),
      messages: [ref(`#/channels/acknowledgements/messages/${name}_ack`)],
    },
    'x-success-event': spec.success,
    'x-error-event': spec.error,
  };
}

function ackSchema(name: RequestName): JSONSchema7 {
  const { success } = requests[name];
  return {
    description: `Acknowledgement of ${name}: its data is the ${success} payload.`,
    oneOf: [
      {
        type: 'object',
        properties: { ok: { type: 'boolean', const: true }, data: schemaRef(payloadName(success)) },
        required: ['ok', 'data'],
      },
      schemaRef('AckError'),
    ],
  };
}

const ackMessage = (name: RequestName): Message => ({
  name: `${name}_ack`,
  title: `${name} acknowledgement`,
  summary: `The argument of the ${name} callback.`,
  payload: schemaRef(ackName(name)),
});

// ---- server events --------------------------------------------------------

const eventMessage = (event: ServerEventName): Message => ({
  name: event,
  title: event,
  summary: serverEventNotes[event].summary,
  description: `Sent to: ${serverEventNotes[event].delivery}.`,
  payload: schemaRef(payloadName(event)),
});

const eventOperation = (event: ServerEventName): Operation => ({
  action: 'send',
  channel: ref('#/channels/gateway'),
  title: event,
  summary: serverEventNotes[event].summary,
  messages: [ref(`#/channels/gateway/messages/${event}`)],
});

// ---- errors ---------------------------------------------------------------

/** The code enum, with each code's meaning: in the description for people, in x-enum-descriptions for tools. */
const errorCodeSchema = (schema: JSONSchema7): JSONSchema7 & { 'x-enum-descriptions': string[] } => ({
  type: schema.type,
  description: `Stable error code; see docs/protocol.md#error-codes.\n\n${errorCodes.map((code) => `- \`${code}\`: ${ERROR_CODES[code]}`).join('\n')}`,
  enum: schema.enum,
  'x-enum-descriptions': errorCodes.map((code) => ERROR_CODES[code]),
});

const ACK_ERROR: JSONSchema7 = {
  type: 'object',
  description: 'The acknowledgement of a failed request; the error event carries the same code and message.',
  properties: {
    ok: { type: 'boolean', const: false },
    error: {
      type: 'object',
      properties: { code: ref(ERROR_CODE_REF), message: { type: 'string', description: 'What went wrong, in words.' } },
      required: ['code', 'message'],
    },
  },
  required: ['ok', 'error'],
};

// ---- the connection -------------------------------------------------------

const SERVER = {
  host: 'localhost:3000',
  protocol: 'ws',
  pathname: '/ws',
  title: 'Local gateway',
  description:
    'Socket.IO v4 on path `/ws` (transports: websocket, HTTP long-polling): `io("http://localhost:3000", { path: "/ws" })`. PORT and HOST change the address. When API_KEY or API_KEYS_FILE is set, a connection must present a key in one of the three ways listed under security.',
  security: [
    ref('#/components/securitySchemes/socketAuthToken'),
    ref('#/components/securitySchemes/apiKeyHeader'),
    ref('#/components/securitySchemes/tokenQuery'),
  ],
  'x-socketio': { version: 4, path: '/ws', namespace: '/', transports: ['websocket', 'polling'] },
};

/** The handshake's header and query parameter that may carry the API key. */
const WS_BINDINGS = {
  ws: {
    headers: {
      type: 'object',
      properties: { 'x-api-key': { type: 'string', description: 'API key (one of three ways to present it).' } },
    },
    query: {
      type: 'object',
      properties: { token: { type: 'string', description: 'API key (one of three ways to present it).' } },
    },
    bindingVersion: '0.1.0',
  },
};

const SECURITY_SCHEMES = {
  socketAuthToken: {
    type: 'apiKey',
    in: 'user',
    description:
      'API key in the Socket.IO handshake: `io(url, { path: "/ws", auth: { token: KEY } })`. (AsyncAPI has no Socket.IO auth type; `apiKey` is the closest.)',
    'x-socketio-auth-field': 'token',
  },
  apiKeyHeader: {
    type: 'httpApiKey',
    name: 'x-api-key',
    in: 'header',
    description: 'API key in the `x-api-key` header of the handshake request.',
  },
  tokenQuery: {
    type: 'httpApiKey',
    name: 'token',
    in: 'query',
    description: 'API key in the `token` query parameter (it may end up in proxy logs; prefer auth.token).',
  },
};
