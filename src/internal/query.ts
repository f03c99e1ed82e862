// Query strings as the spec declares each parameter (style form): an array with `explode: true` repeats its key
// (`asset_id=a&asset_id=b`), one with `explode: false` is a comma list (`asset_id=a,b`). The commas of a comma list
// stay literal, as OpenAPI's form style writes them; everything else is percent-encoded.

export interface QueryParameterStyle {
  readonly array: boolean;
  readonly explode: boolean;
}

export function serialiseQuery(
  styles: Readonly<Record<string, QueryParameterStyle>> | undefined,
  query: Readonly<Record<string, unknown>> | undefined,
): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const key = encodeURIComponent(name);
    if (!Array.isArray(value)) parts.push(`${key}=${encodeURIComponent(String(value))}`);
    else if (styles?.[name]?.explode === false) {
      if (value.length) parts.push(`${key}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
    } else for (const item of value) parts.push(`${key}=${encodeURIComponent(String(item))}`);
  }
  return parts.join('&');
}
