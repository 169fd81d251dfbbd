/** Measured rounds: each system once per round, in an order that rotates, and medians over the rounds. */
import { median } from './stats';

/** Round r starts with item r (mod n), so each one goes first, middle and last in turn. */
function rotate<T>(round: number, items: readonly T[]): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Runs `rounds` rounds of `measure` for every system, in rotating order; each system's results, round by round. */
export async function inRotation<S extends string, R>(
  systems: readonly S[],
  rounds: number,
  measure: (system: S) => Promise<R>,
  afterRound: (results: Record<S, R[]>, round: number) => void = () => {},
): Promise<Record<S, R[]>> {
  const results = Object.fromEntries(systems.map((system) => [system, []])) as unknown as Record<S, R[]>;
  for (let r = 0; r < rounds; r++) {
    for (const system of rotate(r, systems)) results[system].push(await measure(system));
    afterRound(results, r);
  }
  return results;
}

/** The median of one figure over the rounds. */
export function medianOf<R extends Record<string, number>>(rounds: readonly R[], key: keyof R): number {
  return median(rounds.map((round) => round[key]!));
}
