import { SIMULATED_VOLUME_LABEL, volumeFor } from './volumes';

const claim = (extra: { spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}) => ({
  metadata: { namespace: 'lms-security', name: 'data-vault-0', uid: '0f5c6d1e-1111-4222-8333-944455556666' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, ...extra.spec },
  status: { phase: 'Pending', ...extra.status },
});

describe('volumeFor: what a provisioner makes for a pending claim', () => {
  test('a volume of the claim\'s size, modes and class, bound in advance to that claim by uid', () => {
    expect(volumeFor(claim({ spec: { storageClassName: 'fast' } }))).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-0f5c6d1e-1111-4222-8333-944455556666', labels: { [SIMULATED_VOLUME_LABEL]: 'true' } },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'fast',
        volumeMode: 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'lms-security', name: 'data-vault-0', uid: '0f5c6d1e-1111-4222-8333-944455556666' },
        hostPath: { path: '/var/lib/lms-simulated-volumes/lms-security/data-vault-0', type: 'DirectoryOrCreate' },
      },
    });
  });

  test('a claim without a class gets a volume without one (the cluster has no default StorageClass)', () => {
    expect(volumeFor(claim())?.spec.storageClassName).toBe('');
  });

  test('bound claims, claims naming a volume and claims without a size get none', () => {
    expect([volumeFor(claim({ status: { phase: 'Bound' } })), volumeFor(claim({ spec: { volumeName: 'pv-1' } })), volumeFor(claim({ spec: { resources: {} } }))]).toEqual([undefined, undefined, undefined]);
  });
});
