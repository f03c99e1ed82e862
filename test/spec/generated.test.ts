import { describe, expect, it } from 'vitest';
import { drift } from '../../scripts/build.mjs';

describe('generated/', () => {
  it('matches a fresh build of spec/ (bundle, types, validators, error codes)', async () => {
    expect(await drift(), 'run `npm run build` and commit generated/').toEqual([]);
  });
});
