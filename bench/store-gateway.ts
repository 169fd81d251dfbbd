/** Scenario 5's gateway: a child with one store system, its connected sandbox session, and a sender that follows it. */
import { closeClient, connectClient, startSession, untilQuiet, type Client } from './clients';
import { ServerChild } from './server-child';
import { BEFORE_TREE, SESSION_ID, STORE_SYSTEMS, type StoreSystem } from './settings';

/** The table's label for scenario 5. */
export const STORE_SCENARIO = '5 store';

/** The events a sender that follows its session gets for each of its sends. */
const SEND_EVENTS = ['message_sent', 'message_ack'];
/** A phase is over once the sender has had none of them for this long (the sandbox acks 50/100/150 ms after a send). */
const QUIET_MS = 300;

export class StoreGateway {
  private constructor(
    readonly system: StoreSystem,
    readonly server: ServerChild,
    readonly sender: Client,
  ) {}

  /** `env` adds to the system's settings; `label` names the child (and its profile folder). */
  static async start(system: StoreSystem, env: Record<string, string> = {}, label = `store-${system}`): Promise<StoreGateway> {
    const tree = system === 'before' ? BEFORE_TREE : undefined;
    const server = await ServerChild.start('gateway', { ...STORE_SYSTEMS[system], ...env }, label, tree);
    const sender = await connectClient(server.url);
    await startSession(sender, SESSION_ID);
    return new StoreGateway(system, server, sender);
  }

  /** What the child says it runs with: a gateway from before durable delivery has no STORE. */
  get storeLabel(): string {
    const { STORE, STORE_SYNC } = this.server.details;
    const store = STORE === 'sqlite' ? `STORE=sqlite STORE_SYNC=${STORE_SYNC}` : STORE === undefined ? 'no store' : `STORE=${STORE}`;
    return this.system === 'before' ? `${store}, the gateway of ${BEFORE_TREE}` : store;
  }

  /** Waits until the gateway has nothing left to tell the sender (delayed acks, writes still queued). */
  settled(): Promise<number> {
    return untilQuiet(this.sender, SEND_EVENTS, QUIET_MS);
  }

  async close(): Promise<void> {
    closeClient(this.sender);
    await this.server.close();
  }
}

/** "min–max" of one figure over the rounds, for a row's label. */
export function spread(values: readonly number[]): string {
  const shown = (value: number) => (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));
  return `${shown(Math.min(...values))}–${shown(Math.max(...values))}`;
}
