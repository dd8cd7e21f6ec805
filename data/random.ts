/**
 * A small seeded pseudo-random source (mulberry32): the generator must give the same
 * tickets for the same seed on every machine, so Math.random is never used.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("pick() needs a non-empty list");
    return item;
  }

  /** Fisher-Yates, in place; returns the same array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/**
 * A picker choosing a key with probability proportional to its weight; the table is
 * prepared once because it is used for every one of up to millions of tickets.
 */
export function weightedPicker<K extends string>(
  weights: Readonly<Record<K, number>>,
): (random: Random) => K {
  const keys = Object.keys(weights) as K[];
  const total = keys.reduce((sum, key) => sum + weights[key], 0);
  let running = 0;
  const bounds = keys.map((key) => (running += weights[key]) / total);
  return (random) => {
    const roll = random.next();
    const index = bounds.findIndex((bound) => roll < bound);
    return keys[index === -1 ? keys.length - 1 : index]!;
  };
}
