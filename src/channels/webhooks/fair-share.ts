/**
 * How an instance's free delivery slots are shared between the stores that have deliveries due:
 * one slot at a time, round-robin, the store with the fewest deliveries in flight first (then the
 * one served longest ago), and never more than `perStore` in flight for one store. A store with a
 * backlog therefore cannot take the slot a store with nothing in flight is waiting for.
 */
export function shareSlots(due: readonly string[], free: number, perStore: number, inFlight: ReadonlyMap<string, number>, lastServed: ReadonlyMap<string, number>): Map<string, number> {
  const order = [...new Set(due)]
    .filter((store) => (inFlight.get(store) ?? 0) < perStore)
    .sort((a, b) => (inFlight.get(a) ?? 0) - (inFlight.get(b) ?? 0) || (lastServed.get(a) ?? -1) - (lastServed.get(b) ?? -1) || (a < b ? -1 : a > b ? 1 : 0));
  const shares = new Map<string, number>();
  for (let left = free, granted = true; left > 0 && granted;) {
    granted = false;
    for (const store of order) {
      if (left === 0) break;
      const share = shares.get(store) ?? 0;
      if ((inFlight.get(store) ?? 0) + share >= perStore) continue;
      shares.set(store, share + 1);
      left--;
      granted = true;
    }
  }
  return shares;
}
