/**
 * The images (kernel environments) offered with an instance type: SageMaker Distribution 3.2 for CPU and GPU, from
 * the per-region registries the SageMaker Python SDK lists (`sagemakerDistribution.json`). No DOM.
 */
import distribution from './sagemakerDistribution.json';

/** An image the notebook can run in. */
export interface IImage {
  /** Stable id (`sagemaker-distribution-3.2-cpu`). */
  id: string;
  /** What the user reads ("SageMaker Distribution 3.2 (CPU)"). */
  label: string;
  /** The ECR image URI. */
  uri: string;
  /** Whether the image is built for GPUs. */
  processor: 'cpu' | 'gpu';
}

/** Where the registry ids come from. */
export const IMAGE_SOURCE: { title: string; url: string } = distribution.source;

/** The images offered in a region; null when the region has no known registry. */
export function imagesFor(region: string | null): IImage[] | null {
  const registries: Record<string, string> = distribution.registries;
  const account = region ? registries[region] : undefined;
  if (!region || !account) {
    return null;
  }
  const version = distribution.version;
  const short = version.split('.').slice(0, 2).join('.');
  return (['cpu', 'gpu'] as const).map(processor => ({
    id: `sagemaker-distribution-${short}-${processor}`,
    label: `SageMaker Distribution ${short} (${processor.toUpperCase()})`,
    uri: `${account}.dkr.ecr.${region}.amazonaws.com/${distribution.repository}:${version}-${processor}`,
    processor
  }));
}

/** The image to preselect for a type: the GPU image for types with GPUs, else the CPU image. */
export function defaultImage(
  images: IImage[],
  gpuCount: number
): IImage | undefined {
  const processor = gpuCount > 0 ? 'gpu' : 'cpu';
  return images.find(image => image.processor === processor) ?? images[0];
}
