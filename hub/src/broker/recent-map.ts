/**
 * Sets `key` as the most recently used entry of `map`, forgetting the least recently used
 * beyond `maxKeys`: state kept per address or made-up name must not grow without bound.
 */
export function remember<V>(map: Map<string, V>, key: string, value: V, maxKeys: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > maxKeys) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
