import type { LogShippingConfig } from '../../src/config/log-shipping-config';

export const LOAN_SERVICE_SID = '0x1F2E3D4C5B6A79880123456789ABCDEF';
export const LOG_SHIPPING_SID = '0x00112233445566778899AABBCCDDEEFF';

/** The primary's config, as the platform writes it for lusaka. */
export function primaryConfig(overrides: Partial<LogShippingConfig> = {}): LogShippingConfig {
  return {
    site: 'lusaka',
    role: 'primary',
    database: 'lms',
    opsDatabase: 'lms_ops',
    backupUrlBase: 's3://minio.lms-data.svc.cluster.local:9000/sql-backups',
    bucket: 'sql-backups',
    ownPrefix: 'lusaka/lms/',
    sourcePrefix: null,
    fullBackupStripes: 2,
    maxTransferSizeBytes: 20971520,
    standby: { mode: 'norecovery' },
    logins: [
      {
        name: 'loan_service',
        sid: LOAN_SERVICE_SID,
        passwordFile: '/vault/secrets/loan-service-password',
        serverRoles: [],
        databaseRoles: ['db_datareader', 'db_datawriter', 'db_ddladmin'],
      },
      { name: 'log_shipping', sid: LOG_SHIPPING_SID, passwordFile: '/vault/secrets/log-shipping-password', serverRoles: ['dbcreator'], databaseRoles: ['db_backupoperator'] },
    ],
    ...overrides,
  };
}

/** The secondary's config, as the platform writes it for kitwe. */
export function secondaryConfig(overrides: Partial<LogShippingConfig> = {}): LogShippingConfig {
  return primaryConfig({ site: 'kitwe', role: 'secondary', ownPrefix: 'kitwe/lms/', sourcePrefix: 'lusaka/lms/', ...overrides });
}
