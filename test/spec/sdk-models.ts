// A reader for Huawei's Go SDK models of VOD (test/fixtures/vod-sdk-go, a copy of shared/reference/vod-sdk-go:
// huaweicloud-sdk-go-v3 services/vod/v1 at 2026-03): per operation, its method, path and request fields with their
// locations (vod_meta.go), and every struct of model/ with its fields (JSON name, Go type, required = no
// `omitempty`, the comment above it) and every `…Enum` value list.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/spec.js';

export const sdkDir = join(root, 'test/fixtures/vod-sdk-go');

export interface GoField {
  goName: string;
  json: string;
  /** The Go type without the pointer: `string`, `int32`, `[]Subtitle`, `CreateEditTaskReqMode`, … */
  type: string;
  required: boolean;
  comment: string;
}

export interface GoStruct {
  name: string;
  fields: GoField[];
}

export interface SdkOperation {
  operationId: string;
  method: string;
  path: string;
  response: string;
  /** Request fields by location: `Body` is the whole body (its struct is the request struct's `Body` field's type). */
  fields: { goName: string; json?: string; location: 'Path' | 'Query' | 'Header' | 'Body' }[];
}

const meta = readFileSync(join(sdkDir, 'vod_meta.go'), 'utf8');

export const sdkOperations: SdkOperation[] = [...meta.matchAll(/func GenReqDefFor(\w+)\(\) \*def\.HttpRequestDef \{([\s\S]*?)\n\}/g)].map(
  ([, operationId, body]) => ({
    operationId: operationId!,
    method: body!.match(/WithMethod\(http\.Method(\w+)\)/)![1]!.toLowerCase(),
    path: body!.match(/WithPath\("([^"]+)"\)/)![1]!,
    response: body!.match(/WithResponse\(new\(model\.(\w+)\)\)/)![1]!,
    fields: [...body!.matchAll(/WithName\("(\w+)"\)\.\s*(?:WithJsonTag\("([^"]+)"\)\.\s*)?WithLocationType\(def\.(\w+)\)/g)].map(
      ([, goName, json, location]) => ({ goName: goName!, ...(json ? { json } : {}), location: location as 'Body' }),
    ),
  }),
);

export const structs = new Map<string, GoStruct>();
/** Enum type name (e.g. `ConfirmAssetUploadReqStatus`) → its values, typed as JSON would carry them. */
export const enums = new Map<string, { type: 'string' | 'integer'; values: (string | number)[] }>();

for (const file of readdirSync(join(sdkDir, 'model')).filter((f) => f.endsWith('.go'))) {
  const source = readFileSync(join(sdkDir, 'model', file), 'utf8');
  for (const [, name, body] of source.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    if (name!.endsWith('Enum')) continue;
    const fields: GoField[] = [];
    let comment: string[] = [];
    for (const line of body!.split('\n')) {
      const c = line.match(/^\s*\/\/ ?(.*)$/);
      if (c) {
        comment.push(c[1]!);
        continue;
      }
      const f = line.match(/^\s*(\w+)\s+(\*?)(\S+)\s+`json:"([^",]+)(,omitempty)?"/);
      if (f && f[4] !== '-') {
        fields.push({ goName: f[1]!, type: f[3]!.replace(/^\*/, ''), json: f[4]!, required: !f[5], comment: comment.join(' ').trim() });
      }
      if (line.trim() === '' || f) comment = [];
    }
    // `value string` alone: an enum's value holder, not a model.
    if (fields.length || !/^\s*value \w+$/m.test(body!)) structs.set(name!, { name: name!, fields });
  }
  for (const [, enumType, body] of source.matchAll(/^func Get(\w+)Enum\(\) \w+ \{([\s\S]*?)^\}/gm)) {
    const values = [...body!.matchAll(/value:\s*("?)([^",\n]*)\1,/g)].map(([, quoted, v]) => (quoted ? v! : Number(v)));
    enums.set(enumType!, { type: values.every((v) => typeof v === 'number') ? 'integer' : 'string', values });
  }
}

/** The operations that only the SDK documents: the README's table rows marked "SDK model only". */
export const sdkOnlyOperations: string[] = [
  ...readFileSync(join(sdkDir, 'README.md'), 'utf8').matchAll(/^\| (\w+) \| `[^`]+` \| \*\*SDK model only\*\* \|$/gm),
].map((m) => m[1]!);
