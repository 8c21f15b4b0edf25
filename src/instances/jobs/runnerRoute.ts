/**
 * REST client of the server's runner route, `{baseUrl}sagemaker-studio/notebook-jobs/runner.py`: the script a
 * notebook job runs (uploaded next to the notebook).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Route of the runner under the server's base URL. */
export const RUNNER_ROUTE = 'sagemaker-studio/notebook-jobs/runner.py';

/** The runner script's text. */
export async function getRunner(
  settings: ServerConnection.ISettings
): Promise<string> {
  const url = URLExt.join(settings.baseUrl, RUNNER_ROUTE);
  const response = await ServerConnection.makeRequest(url, {}, settings);
  if (!response.ok) {
    throw await ServerConnection.ResponseError.create(response);
  }
  return response.text();
}
