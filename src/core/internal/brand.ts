/**
 * Marks a class's prototype with `Symbol.for('parlance.error.<Name>')`. A registered symbol is the
 * same in every copy of the package (widget file plus app bundle), so `isInstance` works where
 * `instanceof` does not.
 */
export function brand(ctor: { prototype: object }, name: string): symbol {
  const marker = Symbol.for(`parlance.error.${name}`);
  Object.defineProperty(ctor.prototype, marker, { value: true });
  return marker;
}

/** True when `value` carries `marker` (set by {@link brand}), from any copy of the package. */
export function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
