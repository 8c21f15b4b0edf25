/**
 * REST client of the server's machine route, `{baseUrl}sagemaker-studio/system`: this machine's CPUs, memory and
 * GPUs and their use, and the memory of a kernel's process.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Route of the machine figures under the server's base URL. */
export const SYSTEM_ROUTE = 'sagemaker-studio/system';

/** What the server reports of the machine kernels run on. */
export interface IMachine {
  /** CPUs a kernel started by the server may use. */
  cpuCount: number;
  /** Memory of the machine, in bytes. */
  memoryBytes: number;
  /** GPUs: model and memory in MiB. */
  gpus: { model: string; memoryMiB: number }[];
  /** CPU use of the machine since the previous reading, 0–100. */
  cpuPercent: number;
  /** Memory in use on the machine, in bytes. */
  memoryUsedBytes: number;
  /** The kernel's process, when one was asked for and runs locally. */
  kernel: { pid: number; memoryBytes: number } | null;
}

/** Read the machine figures (and the kernel's, given its id). */
export async function getMachine(
  settings: ServerConnection.ISettings,
  kernelId?: string | null
): Promise<IMachine> {
  let url = URLExt.join(settings.baseUrl, SYSTEM_ROUTE);
  if (kernelId) {
    url += URLExt.objectToQueryString({ kernel: kernelId });
  }
  const response = await ServerConnection.makeRequest(url, {}, settings);
  if (!response.ok) {
    throw await ServerConnection.ResponseError.create(response);
  }
  return (await response.json()) as IMachine;
}
