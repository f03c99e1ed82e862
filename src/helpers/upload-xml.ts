// The little OBS XML that a multipart upload reads and writes (OBS API 初始化上传段任务, 列举已上传的段, 合并段; the
// namespace in 示例2 is http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/, S3's is accepted the same): no XML
// parser in browsers' workers or in Node without a dependency, and these documents are flat, so tags are read by name.

/** The text of the first `<tag>…</tag>` in `xml` (entities decoded), or undefined. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:[A-Za-z0-9_]+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${tag}>`).exec(xml);
  return match ? decodeEntities(match[1]!.trim()) : undefined;
}

/** Every `<tag>…</tag>` block's inner XML. */
function xmlBlocks(xml: string, tag: string): string[] {
  const re = new RegExp(`<(?:[A-Za-z0-9_]+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${tag}>`, 'g');
  return Array.from(xml.matchAll(re), (m) => m[1]!);
}

const decodeEntities = (text: string): string =>
  text.replace(/&(quot|amp|lt|gt|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'quot' ? '"' : e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'apos' ? "'"
      : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** An ETag without its quotes (and a W/ prefix), lower case: `"ABC"` → `abc`. */
export const bareEtag = (etag: string | null | undefined): string =>
  (etag ?? '').trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();

export function parseInitiate(xml: string): { uploadId: string; bucket?: string; key?: string } {
  const uploadId = xmlText(xml, 'UploadId');
  if (!uploadId) throw new Error(`the InitiateMultipartUploadResult has no UploadId: ${xml.slice(0, 200)}`);
  return { uploadId, bucket: xmlText(xml, 'Bucket'), key: xmlText(xml, 'Key') };
}

export interface ListedPart {
  partNumber: number;
  /** Hex MD5 without quotes. */
  etag: string;
  size: number;
}

export interface ListPartsPage {
  parts: ListedPart[];
  truncated: boolean;
  nextMarker?: number;
}

export function parseListParts(xml: string): ListPartsPage {
  if (!/<(?:[A-Za-z0-9_]+:)?ListPartsResult[\s>]/.test(xml)) throw new Error(`not a ListPartsResult: ${xml.slice(0, 200)}`);
  const parts = xmlBlocks(xml, 'Part').map((block) => {
    const partNumber = Number(xmlText(block, 'PartNumber'));
    const size = Number(xmlText(block, 'Size'));
    const etag = bareEtag(xmlText(block, 'ETag'));
    if (!Number.isInteger(partNumber) || !Number.isFinite(size) || !etag) {
      throw new Error(`a ListPartsResult Part lacks PartNumber, Size or ETag: ${block.slice(0, 200)}`);
    }
    return { partNumber, etag, size };
  });
  const next = xmlText(xml, 'NextPartNumberMarker');
  return {
    parts,
    truncated: xmlText(xml, 'IsTruncated') === 'true',
    ...(next && /^\d+$/.test(next) ? { nextMarker: Number(next) } : {}),
  };
}

/** The body of 合并段 (CompleteMultipartUpload): the parts in order, each with its quoted ETag. */
export function completeBody(parts: readonly { partNumber: number; etag: string }[]): string {
  const items = parts
    // The quotes are literal, as in 示例2 (an ETag is hex: nothing in it needs escaping).
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>"${escapeXml(p.etag)}"</ETag></Part>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}

/** The `Code` and `Message` of an OBS/S3 error document, when the body is one. */
export function parseObsError(xml: string): { code?: string; message?: string } {
  if (!/<(?:[A-Za-z0-9_]+:)?Error[\s>]/.test(xml)) return {};
  return { code: xmlText(xml, 'Code'), message: xmlText(xml, 'Message') };
}
