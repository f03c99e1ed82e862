import { describe, expect, it } from 'vitest';
import { drift, validatedSchemas } from '../../scripts/build.mjs';
import { spec } from '../helpers/spec.js';

describe('generated/', () => {
  it('matches a fresh build of spec/ (bundle, types, validators, error codes)', async () => {
    expect(await drift(), 'run `npm run build` and commit generated/').toEqual([]);
  });

  // Two operations whose validators were the same schema once made Ajv's standalone code declare one function twice:
  // the module must load and export one validator per validated operation.
  it('exports a loadable validator for every body and query in validatedSchemas', async () => {
    const validators: Record<string, unknown> = await import('../../generated/validators.js');
    const names = Object.keys(validatedSchemas(spec));
    expect(names).toEqual(expect.arrayContaining(['PublishAssets', 'UnpublishAssets', 'ShowAssetMetaQuery', 'DeleteAssetsQuery']));
    for (const name of names) expect(typeof validators[name], name).toBe('function');
  });
});
