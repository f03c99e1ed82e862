// What the response schemas accept: open objects, the pages' enums plus the SDK-only values, the per-codec ranges
// of MetaData, and the transient statuses as data. Also: the strict Ajv of scripts/schema.mjs (the contract suite's)
// compiles every schema, vendor extensions and `format: int64` included.
import { describe, expect, it } from 'vitest';
import { createAjv, schemaDocument } from '../../scripts/schema.mjs';
import { schemaAt, spec, specAjv } from '../helpers/spec.js';

const ajv = specAjv();
const accepts = (schema: string, value: unknown) => schemaAt(ajv, `#/components/schemas/${schema}`)(value);

describe('response schemas', () => {
  it('compile under the strict Ajv that the build and the contract suite use', () => {
    const strict = createAjv();
    strict.addSchema(schemaDocument(spec));
    for (const name of Object.keys(spec.components.schemas)) {
      expect(() => strict.getSchema(`vod.json#/$defs/${name}`), name).not.toThrow();
    }
  });

  it('AssetStatus: 18 values, 5 of them transient, and the pages\' malformed examples rejected', () => {
    const status = spec.components.schemas.AssetStatus;
    expect(status.enum).toHaveLength(18);
    expect(status['x-transient-values']).toEqual(['CREATING', 'WAITING_TRANSCODE', 'TRANSCODING', 'DELETING', 'OBS_CREATING']);
    for (const value of status['x-transient-values']) expect(status.enum).toContain(value);
    for (const failure of ['OBS_CREATE_FAILED', 'TRANSCODE_FAILED', 'UPLOAD_FAILED', 'SERVER_ERROR', 'DELETE_FAILED']) {
      expect(status.enum).toContain(failure);
      expect(status['x-transient-values']).not.toContain(failure);
      expect(status.description).toContain(failure);
    }
    expect(accepts('AssetStatus', 'OBS_CREATE_SUCCESS')).toBe(true);
    expect(accepts('AssetStatus', ' UNCREATED')).toBe(false);
    expect(accepts('AssetStatus', 'NOASSET')).toBe(false);
  });

  it('are open: a field the server adds is accepted', () => {
    expect(accepts('AssetInfo', { asset_id: 'a', status: 'CREATED', brand_new: 1 })).toBe(true);
    expect(accepts('MetaData', { codec: 'H.264', pack_type: null, play_type: 0 })).toBe(true);
  });

  it('accept the SDK-only fields and values', () => {
    expect(accepts('AssetInfo', { is_multi_transcode: true })).toBe(true);
    expect(accepts('BaseInfo', { sign_url: 'https://x', subtitle_info: [{ id: 1, url: 'u', type: 'SRT', language: 'CN' }] })).toBe(true);
    expect(accepts('ThumbnailInfo', { dots: [{ offset: 1, url: 'u' }], quantity: [{ offset: 2, url: 'u' }] })).toBe(true);
    expect(accepts('DeleteResult', { asset_id: 'a', status: 'UNKNOW' })).toBe(true);
    expect(accepts('DeleteResult', { asset_id: 'a', status: 'GONE' })).toBe(false);
  });

  it.each([
    [{ codec: 'H.264', width: 32, hight: 32 }, true],
    [{ codec: 'H.264', width: 3840, hight: 2160 }, true],
    [{ codec: 'H.264', width: 30, hight: 32 }, false],
    [{ codec: 'H.264', width: 33, hight: 32 }, false],
    [{ codec: 'H.264', width: 3842, hight: 32 }, false],
    [{ codec: 'H.264', width: 1280, hight: 2162 }, false],
    [{ codec: 'H.265', width: 320, hight: 240 }, true],
    [{ codec: 'H.265', width: 318, hight: 240 }, false],
    [{ codec: 'H.265', width: 322, hight: 240 }, false],
    [{ codec: 'H.265', width: 1280, hight: 236 }, false],
    [{ codec: 'AAC', width: 0, hight: 0 }, true],
    [{ width: 0 }, true],
  ])('MetaData %j → %s (ranges per codec, as the table states them)', (value, valid) => {
    expect(accepts('MetaData', value)).toBe(valid);
  });

  it('follow the tables where the pages\' examples differ (frame_rate codes, lower-case play_type)', () => {
    expect(accepts('MetaData', { frame_rate: 8 })).toBe(true);
    expect(accepts('MetaData', { frame_rate: 30 })).toBe(false);
    expect(accepts('Output', { play_type: 'hls' })).toBe(true);
    expect(accepts('Output', { play_type: 'HLS' })).toBe(false);
  });
});
