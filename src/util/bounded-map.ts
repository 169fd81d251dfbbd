/** Keeps `map` (insertion-ordered, as every Map is) at `max` entries at most by dropping the oldest. */
export function dropOldest<K, V>(map: Map<K, V>, max: number): void {
  for (const oldest of map.keys()) {
    if (map.size <= max) return;
    map.delete(oldest);
  }
}
