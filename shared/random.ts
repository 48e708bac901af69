/**
 * A small seeded pseudo-random generator (mulberry32): the demo data is the same on every first start
 * for a given day, and benchmarks and randomized tests replay from their seed. Not for secrets:
 * passwords come from `node:crypto`.
 */

/** Deterministic random helpers over one seed. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `count` digits as a string. */
  digits(count: number): string;
}

/**
 * Creates a generator from a 32-bit seed.
 * @param seed any integer; the same seed gives the same sequence.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError("pick from an empty list");
      return item;
    },
    digits: (count: number) => Array.from({ length: count }, () => String(int(0, 9))).join(""),
  };
}
