/**
 * A fake Jupyter server for the tests: ServerConnection settings whose fetch records requests and answers from a
 * queue of scripted responses.
 */
import { ServerConnection } from '@jupyterlab/services';

/** A scripted answer: a Response, or a function of the request (may throw to simulate a network failure). */
export type Answer =
  Response | ((request: Request) => Response | Promise<Response>);

/** Settings plus the recorded requests and the answer queue. */
export interface IFakeServer {
  settings: ServerConnection.ISettings;
  requests: Request[];
  bodies: string[];
  answers: Answer[];
}

/** Create a fake server under `baseUrl`. */
export function fakeServer(
  baseUrl = 'http://localhost:8888/lab/base/'
): IFakeServer {
  const server: IFakeServer = {
    settings: undefined as unknown as ServerConnection.ISettings,
    requests: [],
    bodies: [],
    answers: []
  };
  const fetchFn = async (request: Request): Promise<Response> => {
    server.requests.push(request);
    server.bodies.push(request.body ? await request.clone().text() : '');
    if (request.signal?.aborted) {
      throw new DOMException('The operation was aborted.', 'AbortError');
    }
    const answer = server.answers.shift();
    if (!answer) {
      throw new Error(
        `No scripted answer for ${request.method} ${request.url}`
      );
    }
    return typeof answer === 'function' ? answer(request) : answer;
  };
  server.settings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace('http', 'ws'),
    token: 'test-token',
    fetch: fetchFn as typeof fetch,
    Request,
    Headers
  });
  return server;
}

/** A JSON response. */
export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {}
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers }
  });
}

/** An AWS JSON 1.1 error response as SageMaker sends it. */
export function awsJsonError(
  code: string,
  message: string,
  status = 400
): Response {
  return new Response(JSON.stringify({ __type: code, message }), {
    status,
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'x-amzn-RequestId': 'req-1'
    }
  });
}

/** A proxy error as the Jupyter server sends it. */
export function proxyErrorResponse(
  code: string,
  message: string,
  status: number
): Response {
  return json({ code, message }, status, {
    'X-SageMaker-Studio-Proxy-Error': '1'
  });
}
