import { BusinessConfigurationService } from '../../src/domain/business-configuration-service';
import { ConflictError } from '../../src/domain/domain-errors';
import { ServiceMetrics } from '../../src/observability/service-metrics';
import type { ConfigVersionRepository } from '../../src/repositories/config-version-repository';

describe('BusinessConfigurationService.propose', () => {
  it('turns a concurrent proposal (unique violation on the version number) into a 409', async () => {
    const versions = {
      hasPendingProposal: async () => false,
      propose: async () => {
        throw Object.assign(new Error('Violation of UNIQUE KEY constraint'), { number: 2627 });
      },
    } as unknown as ConfigVersionRepository;
    const service = new BusinessConfigurationService(versions, new ServiceMetrics(), () => new Date('2026-01-15T08:00:00Z'));
    const context = { identity: { userId: 'alice', roles: ['config_admin' as const], branches: [] }, log: { info: () => undefined } };
    await expect(service.propose(context, 'risk_grades', 'default', { grades: [] })).rejects.toThrow(
      new ConflictError('risk grades "default" received another proposal at the same time; reload and retry'),
    );
  });

  it('lets other database errors through', async () => {
    const versions = {
      hasPendingProposal: async () => false,
      propose: async () => {
        throw new Error('connection reset');
      },
    } as unknown as ConfigVersionRepository;
    const service = new BusinessConfigurationService(versions, new ServiceMetrics(), () => new Date());
    const context = { identity: { userId: 'alice', roles: ['config_admin' as const], branches: [] }, log: { info: () => undefined } };
    await expect(service.propose(context, 'loan_product', 'salary-advance', {})).rejects.toThrow('connection reset');
  });
});
