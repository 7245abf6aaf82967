import type { KubeClient } from './kube-client';

/** Label of every PersistentVolume the simulator makes, so it only ever removes its own. */
export const SIMULATED_VOLUME_LABEL = 'lms.co.zm/simulated-volume';

/** A PersistentVolume for one claim that has none. */
export interface ProvisionedVolume {
  readonly name: string;
  readonly claim: string;
  readonly storageClass: string;
  readonly size: string;
}

/**
 * The volume a provisioner would make for a pending claim: its size, access modes and class,
 * bound to the claim in advance (`claimRef` with its uid), so the API server's PV controller
 * binds exactly that pair. A claim already bound, or one that names a volume, gets none.
 */
export function volumeFor(claim: any): any | undefined {
  if (claim.spec?.volumeName || claim.status?.phase === 'Bound') return undefined;
  const size = claim.spec?.resources?.requests?.storage;
  if (typeof size !== 'string') return undefined;
  const { namespace, name, uid } = claim.metadata;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `pvc-${uid}`, labels: { [SIMULATED_VOLUME_LABEL]: 'true' } },
    spec: {
      capacity: { storage: size },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      storageClassName: claim.spec.storageClassName ?? '',
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name, uid },
      // Never mounted: the pods are kwok's and run nothing.
      hostPath: { path: `/var/lib/lms-simulated-volumes/${namespace}/${name}`, type: 'DirectoryOrCreate' },
    },
  };
}

/**
 * Plays a site's storage provisioner, which a simulated site lacks: every second it gives
 * each pending PersistentVolumeClaim (a StatefulSet's, such as Vault's Raft and audit
 * volumes) a volume of its size and class, as a dynamic provisioner would, so the pods
 * schedule and the StatefulSet rolls out; volumes whose claim is gone are removed.
 */
export class VolumeProvisioner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Every volume made so far, oldest first. */
  public readonly provisioned: ProvisionedVolume[] = [];

  constructor(private readonly client: KubeClient) {}

  public start(intervalMs = 1000): void {
    const tick = () => {
      this.running = this.provisionOnce()
        .then(() => undefined)
        // A site that is starting or stopping does not answer: the next pass tries again.
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** One pass: a volume for each pending claim, and its own released volumes removed. */
  public async provisionOnce(): Promise<ProvisionedVolume[]> {
    const claims = await this.client.get<{ items: any[] }>('/api/v1/persistentvolumeclaims');
    const made: ProvisionedVolume[] = [];
    for (const claim of claims.items) {
      const volume = volumeFor(claim);
      if (!volume) continue;
      const response = await this.client.request('POST', '/api/v1/persistentvolumes', volume);
      if (response.status !== 201) continue; // 409: made on an earlier pass, not bound yet
      const entry = { name: volume.metadata.name, claim: `${claim.metadata.namespace}/${claim.metadata.name}`, storageClass: volume.spec.storageClassName, size: volume.spec.capacity.storage };
      made.push(entry);
      this.provisioned.push(entry);
    }
    const volumes = await this.client.get<{ items: any[] }>(`/api/v1/persistentvolumes?labelSelector=${encodeURIComponent(`${SIMULATED_VOLUME_LABEL}=true`)}`);
    for (const volume of volumes.items.filter((item) => item.status?.phase === 'Released')) {
      await this.client.request('DELETE', `/api/v1/persistentvolumes/${volume.metadata.name}`);
    }
    return made;
  }

  public async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
