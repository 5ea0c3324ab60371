import type { Prng } from 'sim-kit';
import type { Catalog } from './state.js';

/** The platform catalog: VM flavors and images, GPUs, storage classes, notebook images. Same in both seeds. */
export function buildCatalog(rng: Prng): Catalog {
  const type = (name: string, description: string) => ({ id: rng.uuid(), name, description });
  const general = type('General Purpose', 'Balanced vCPU and memory');
  const memory = type('Memory Optimized', 'More memory per vCPU for databases and caches');
  const gpu = type('GPU', 'NVIDIA data-center GPUs for training and inference');
  const flavor = (
    t: { id: string },
    name: string,
    cpu: number,
    mem: number,
    g: string | null,
    price: number,
  ) => ({
    id: rng.uuid(),
    flavor_type_id: t.id,
    name,
    cpu,
    memory_gb: mem,
    gpu: g,
    price_per_hour: price,
  });
  const image = (name: string, os: string, version: string, user: string) => ({
    id: rng.uuid(),
    name,
    os,
    version,
    default_user: user,
  });
  return {
    flavorTypes: [general, memory, gpu],
    flavors: [
      flavor(general, 'gp.small', 2, 4, null, 1_250),
      flavor(general, 'gp.medium', 4, 8, null, 2_500),
      flavor(general, 'gp.large', 8, 16, null, 5_000),
      flavor(memory, 'mo.large', 4, 32, null, 4_400),
      flavor(memory, 'mo.xlarge', 8, 64, null, 8_800),
      flavor(gpu, 'gpu.a100.1', 16, 128, 'NVIDIA A100 80GB', 62_000),
      flavor(gpu, 'gpu.h100.1', 24, 192, 'NVIDIA H100 80GB', 98_000),
    ],
    images: [
      image('Ubuntu 22.04 LTS', 'ubuntu', '22.04', 'ubuntu'),
      image('Ubuntu 24.04 LTS', 'ubuntu', '24.04', 'ubuntu'),
      image('Debian 12', 'debian', '12', 'debian'),
      image('Rocky Linux 9', 'rocky', '9', 'rocky'),
      image('Windows Server 2022', 'windows', '2022', 'Administrator'),
    ],
    gpus: [
      { id: rng.uuid(), name: 'NVIDIA A100 80GB', memory_gb: 80 },
      { id: rng.uuid(), name: 'NVIDIA H100 80GB', memory_gb: 80 },
      { id: rng.uuid(), name: 'NVIDIA L40S 48GB', memory_gb: 48 },
    ],
    storageClasses: [
      { name: 'ceph-ssd', provisioner: 'rbd.csi.ceph.com', is_default: true, price_per_gb: 1_500 },
      { name: 'ceph-hdd', provisioner: 'rbd.csi.ceph.com', is_default: false, price_per_gb: 600 },
      { name: 'nvme-local', provisioner: 'topolvm.io', is_default: false, price_per_gb: 3_000 },
    ],
    notebookImages: [
      {
        id: rng.uuid(),
        name: 'Jupyter Minimal',
        image: 'jupyter/minimal-notebook:2024-06-10',
        gpu: false,
        description: 'Python 3.11 with JupyterLab',
      },
      {
        id: rng.uuid(),
        name: 'Jupyter SciPy',
        image: 'jupyter/scipy-notebook:2024-06-10',
        gpu: false,
        description: 'pandas, scikit-learn, matplotlib',
      },
      {
        id: rng.uuid(),
        name: 'PyTorch 2.3 CUDA 12.1',
        image: 'cloudeka/pytorch-notebook:2.3-cuda12.1',
        gpu: true,
        description: 'PyTorch with CUDA for NVIDIA GPUs',
      },
      {
        id: rng.uuid(),
        name: 'TensorFlow 2.16 CUDA 12.3',
        image: 'cloudeka/tensorflow-notebook:2.16-cuda12.3',
        gpu: true,
        description: 'TensorFlow with CUDA for NVIDIA GPUs',
      },
    ],
  };
}
