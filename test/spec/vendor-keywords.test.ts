import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../scripts/vendor-keywords.mjs';

describe('utf8Length (the byte count compiled into the validators)', () => {
  const encoder = new TextEncoder();
  it('equals TextEncoder on any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => utf8Length(s) === encoder.encode(s).length),
      { numRuns: 2000 },
    );
  });
  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['视', 3],
    ['🎬', 4],
    ['\ud83c', 3],
    ['\udfac', 3],
    ['\udfac\ud83c', 6],
  ])('%j is %i bytes', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(encoder.encode(s).length).toBe(n);
  });
});
