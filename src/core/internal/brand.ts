/**
 * Marks a class's prototype with `Symbol.for('parlance.error.<Name>')` (`'parlance.error'` for
 * the base class, the key it has always had). A registered symbol is the same in every copy of
 * the package (widget file plus app bundle), so `isInstance` works where `instanceof` does not.
 * Every error class of the kit is branded here, right after its declaration.
 */
export function brand(ctor: { prototype: object }, name: string): symbol {
  const marker = Symbol.for(name === 'ParlanceError' ? 'parlance.error' : `parlance.error.${name}`);
  Object.defineProperty(ctor.prototype, marker, { value: true });
  return marker;
}

/** True when `value` carries `marker` (set by {@link brand}), from any copy of the package. */
export function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
