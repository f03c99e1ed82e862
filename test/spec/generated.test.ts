import { describe, expect, it } from 'vitest';
import { drift, validatedSchemas } from '../../scripts/build.mjs';

describe('generated/', () => {
  it('matches a fresh build of spec/ (bundle, types, validators, error codes)', async () => {
    expect(await drift(), 'run `npm run build` and commit generated/').toEqual([]);
  });

  // Two operations whose validators were the same schema once made Ajv's standalone code declare one function twice:
  // the module must load and export one validator per validated operation.
  it('exports a loadable validator for every operation in validatedSchemas', async () => {
    const validators: Record<string, unknown> = await import('../../generated/validators.js');
    for (const operationId of Object.keys(validatedSchemas)) expect(typeof validators[operationId], operationId).toBe('function');
  });
});
