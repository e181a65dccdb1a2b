// A small bounded cache for pure functions of a string that every analysis calls with the same few values (a
// policy's secret, its loginURL): the last answers are kept, the oldest dropped first.

export function memoizeString<T>(compute: (value: string) => T, max = 64): (value: string) => T {
  const cache = new Map<string, T>();
  return (value) => {
    const hit = cache.get(value);
    if (hit !== undefined || cache.has(value)) return hit as T;
    const result = compute(value);
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(value, result);
    return result;
  };
}
