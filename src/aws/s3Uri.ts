/**
 * S3 addresses as the SageMaker API writes them (`s3://bucket/key`).
 */

/** Split `s3://bucket/key` into bucket and key; null when it is not one. */
export function parseS3Uri(
  uri: string
): { bucket: string; key: string } | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : null;
}
