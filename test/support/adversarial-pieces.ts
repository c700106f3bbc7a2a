/** Long pieces the split pattern keeps whole: the worst case of a byte-pair merge. */
export const adversarialPieces: Record<string, (size: number) => string> = {
  'one repeated letter': (size) => 'a'.repeat(size),
  'a long pseudo-random word': (size) => {
    let seed = 7;
    return Array.from({ length: size }, () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return String.fromCharCode(97 + (seed % 26));
    }).join('');
  },
  'a CJK run': (size) => {
    const chars = [
      ...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子',
    ];
    return Array.from({ length: size }, (_, i) => chars[(i * 7919 + (i >> 4)) % chars.length]).join('');
  },
  'an emoji run': (size) => '🚀👨‍👩‍👧🎉✨'.repeat(Math.ceil(size / 12)).slice(0, size),
  'a digit run': (size) => Array.from({ length: size }, (_, i) => String((i * 31) % 10)).join(''),
  base64: (size) =>
    Buffer.from(Array.from({ length: size }, (_, i) => (i * 151 + 7) & 255))
      .toString('base64')
      .slice(0, size),
};
