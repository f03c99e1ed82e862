// --prefix: the object keys under a prefix of an OBS bucket, listed through OBS's S3-compatible API with AWS's own
// S3 client (ListObjectsV2, every page; signed with the caller's AK/SK by the SDK: no hand-written OBS signer). The
// client is bundled into the command like its other libraries, and loaded only when a listing is asked for.

export interface ObsListOptions {
  bucket: string;
  prefix: string;
  /** The bucket's region (OBS endpoint https://obs.<location>.myhuaweicloud.com unless `endpoint`). */
  location: string;
  endpoint?: string;
  ak: string;
  sk: string;
  securityToken?: string;
}

export async function listObjectKeys(options: ObsListOptions): Promise<string[]> {
  // The SDK warns on Node 20 that its releases after January 2027 will need Node 22; the copy bundled here is fixed,
  // so the warning says nothing to the user of this command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const endpoint = options.endpoint ?? `https://obs.${options.location}.myhuaweicloud.com`;
  const client = new S3Client({
    region: options.location,
    endpoint,
    // Path style for an explicit endpoint (a gateway or a test server has no per-bucket host names); OBS's own
    // endpoints take the bucket as a host name.
    forcePathStyle: options.endpoint !== undefined,
    credentials: { accessKeyId: options.ak, secretAccessKey: options.sk, ...(options.securityToken ? { sessionToken: options.securityToken } : {}) },
  });
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return keys;
}
