// The small pieces of uploadAsset: the pure-TypeScript MD5 used in browsers (against node:crypto), the multipart
// ETag, the OBS XML of 示例2, video types and the checkpoint file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCheckpoint, type UploadState } from '../../src/helpers/upload-checkpoint.js';
import { createMd5, md5, multipartEtag, toBase64, toHex } from '../../src/helpers/upload-md5.js';
import { bareEtag, completeBody, parseInitiate, parseListParts } from '../../src/helpers/upload-xml.js';
import { CONTENT_TYPES, videoTypeOf } from '../../src/helpers/upload.js';

describe('MD5', () => {
  it('the pure implementation equals node:crypto at every block boundary and fed in pieces', () => {
    for (const size of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_536 + 7]) {
      const data = randomBytes(size);
      const expected = createHash('md5').update(data).digest('hex');
      expect(toHex(md5(data, { pure: true })), `${size} bytes`).toBe(expected);
      const hash = createMd5({ pure: true });
      for (let at = 0; at < size; at += 13) hash.update(data.subarray(at, at + 13));
      expect(toHex(hash.digest())).toBe(expected);
    }
    expect(toHex(md5(new TextEncoder().encode('abc'), { pure: true }))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(toBase64(md5(new Uint8Array(0)))).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
  });

  it('the multipart ETag is MD5 of the part digests, then -N (OBS 合并段)', () => {
    const parts = [randomBytes(100), randomBytes(50)];
    const digests = parts.map((p) => createHash('md5').update(p).digest());
    expect(multipartEtag(digests.map((d) => d.toString('hex')))).toBe(`${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-2`);
  });
});

describe('OBS XML', () => {
  const ns = 'http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/';
  it('reads 示例2\'s InitiateMultipartUploadResult and ListPartsResult', () => {
    expect(parseInitiate(`<?xml version="1.0"?><InitiateMultipartUploadResult xmlns="${ns}"><Bucket>b</Bucket><Key>k/a.mp4</Key><UploadId>00000173C2ED862344C835374DFE33C8</UploadId></InitiateMultipartUploadResult>`))
      .toEqual({ uploadId: '00000173C2ED862344C835374DFE33C8', bucket: 'b', key: 'k/a.mp4' });
    const page = parseListParts(`<ListPartsResult xmlns="${ns}"><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>4</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>
      <Part><PartNumber>1</PartNumber><LastModified>2020-08-06T09:05:10.192Z</LastModified><ETag>"847657b608d82f67e62e9bbec90f9782"</ETag><Size>10000000</Size></Part>
      <Part><PartNumber>4</PartNumber><ETag>&quot;6335AF859C20CCEF26B27EA691E7ECF7&quot;</ETag><Size>7472445</Size></Part></ListPartsResult>`);
    expect(page).toEqual({
      parts: [{ partNumber: 1, etag: '847657b608d82f67e62e9bbec90f9782', size: 10_000_000 }, { partNumber: 4, etag: '6335af859c20ccef26b27ea691e7ecf7', size: 7_472_445 }],
      truncated: false,
      nextMarker: 4,
    });
    expect(() => parseListParts('<Error><Code>NoSuchUpload</Code></Error>')).toThrow(/not a ListPartsResult/);
  });

  it('writes the completion as 示例2 does, quotes literal', () => {
    expect(completeBody([{ partNumber: 1, etag: 'ab' }, { partNumber: 2, etag: 'cd' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"ab"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"cd"</ETag></Part></CompleteMultipartUpload>',
    );
    expect(bareEtag('W/"ABC"')).toBe('abc');
  });
});

describe('video types', () => {
  it('infers video_type from the extension, case-insensitively, and knows no .webm (not a VOD video_type)', () => {
    expect(['a.MP4', 'b.m3u8', 'c.3gp', 'd.flac', 'e.webm', 'noext'].map(videoTypeOf)).toEqual(['MP4', 'HLS', '3GP', 'FLAC', undefined, undefined]);
    expect(CONTENT_TYPES.MOV).toBe('video/quicktime');
    expect(CONTENT_TYPES.HLS).toBe('application/octet-stream');
  });
});

describe('checkpoint file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-checkpoint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('is replaced atomically, mode 0600, leaves no temporary file, and is removed by clear()', async () => {
    const path = join(dir, 'state.json');
    const store = fileCheckpoint(path);
    expect(await store.load()).toBeUndefined();
    const state = { version: 1, assetId: 'a', phase: 'created' } as unknown as UploadState;
    await Promise.all([store.save(state), store.save({ ...state, phase: 'uploading' })]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(['created', 'uploading']).toContain((await store.load())!.phase);
    expect(readdirSync(dir)).toEqual(['state.json']);
    await store.clear!();
    expect(readdirSync(dir)).toEqual([]);
  });
});
