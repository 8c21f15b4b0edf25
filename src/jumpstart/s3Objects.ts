/**
 * Reading JSON objects of the public JumpStart bucket with the S3 SDK. Imported with `import()` by the source,
 * so the S3 commands load with the SDK on first use.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The object at `bucket/key` parsed as JSON; a body that is not JSON rejects with a sentence. */
export async function getJsonObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal
): Promise<unknown> {
  const out = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
    { abortSignal: signal }
  );
  const text = out.Body ? await out.Body.transformToString() : '';
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `s3://${bucket}/${key} is not valid JSON, so it cannot be read. Try again later.`
    );
  }
}
