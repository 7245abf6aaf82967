import type { Knex } from 'knex';

/** Which kind of business configuration a version belongs to. */
export type ConfigType = 'loan_product' | 'risk_grades' | 'authority_matrix' | 'branches' | 'compliance';

/** Every configuration type, in the order the console lists them. */
export const CONFIG_TYPES: readonly ConfigType[] = ['loan_product', 'risk_grades', 'authority_matrix', 'branches', 'compliance'];
export type ConfigVersionStatus = 'proposed' | 'approved' | 'rejected';

/** One stored version of a piece of business configuration. */
export interface ConfigVersionRecord {
  readonly configType: ConfigType;
  readonly configKey: string;
  readonly version: number;
  readonly status: ConfigVersionStatus;
  readonly payload: unknown;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly rejectionReason: string | null;
}

interface ConfigVersionRow {
  config_type: ConfigType;
  config_key: string;
  version: number;
  status: ConfigVersionStatus;
  payload: string;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  rejection_reason: string | null;
}

const TABLE = 'config_versions';

/** Stores every version of every piece of business configuration; nothing is ever overwritten. */
export class ConfigVersionRepository {
  constructor(private readonly database: Knex) {}

  /**
   * Adds a proposed version numbered one past the highest existing version of that key.
   * The unique (type, key, version) index turns a concurrent proposal into an error, not a duplicate.
   */
  async propose(configType: ConfigType, configKey: string, payload: unknown, proposedBy: string, proposedAt: string): Promise<ConfigVersionRecord> {
    return this.database.transaction(async (transaction) => {
      const highest = await transaction(TABLE)
        .where({ config_type: configType, config_key: configKey })
        .max({ highest: 'version' })
        .first();
      const row: ConfigVersionRow = {
        config_type: configType,
        config_key: configKey,
        version: Number(highest?.highest ?? 0) + 1,
        status: 'proposed',
        payload: JSON.stringify(payload),
        proposed_by: proposedBy,
        proposed_at: proposedAt,
        decided_by: null,
        decided_at: null,
        rejection_reason: null,
      };
      await transaction(TABLE).insert(row);
      return toRecord(row);
    });
  }

  /** Every version of one key, oldest first. */
  async listVersions(configType: ConfigType, configKey: string): Promise<ConfigVersionRecord[]> {
    const rows: ConfigVersionRow[] = await this.database(TABLE)
      .where({ config_type: configType, config_key: configKey })
      .orderBy('version', 'asc');
    return rows.map(toRecord);
  }

  async findVersion(configType: ConfigType, configKey: string, version: number): Promise<ConfigVersionRecord | undefined> {
    const row: ConfigVersionRow | undefined = await this.database(TABLE)
      .where({ config_type: configType, config_key: configKey, version })
      .first();
    return row === undefined ? undefined : toRecord(row);
  }

  /** The highest approved version of one key: the one in force. */
  async findCurrent(configType: ConfigType, configKey: string): Promise<ConfigVersionRecord | undefined> {
    const row: ConfigVersionRow | undefined = await this.database(TABLE)
      .where({ config_type: configType, config_key: configKey, status: 'approved' })
      .orderBy('version', 'desc')
      .first();
    return row === undefined ? undefined : toRecord(row);
  }

  /** The version in force of every key of a type, by key. */
  async listCurrent(configType: ConfigType): Promise<ConfigVersionRecord[]> {
    return (await this.currentQuery(configType)).map(toRecord);
  }

  /** Every key of a type with at least one version (proposed, approved or rejected), sorted. */
  async listKeys(configType: ConfigType): Promise<string[]> {
    const rows: Array<{ config_key: string }> = await this.database(TABLE).distinct('config_key').where({ config_type: configType }).orderBy('config_key', 'asc');
    return rows.map((row) => row.config_key);
  }

  /** Whether a key has a version waiting for a decision. */
  async hasPendingProposal(configType: ConfigType, configKey: string): Promise<boolean> {
    const row = await this.database(TABLE)
      .where({ config_type: configType, config_key: configKey, status: 'proposed' })
      .first('version');
    return row !== undefined;
  }

  /**
   * Records the decision on a proposed version. The update is conditional on the version still
   * being `proposed`, so two checkers deciding at once cannot both win.
   *
   * @returns false when the version was no longer proposed.
   */
  async decide(
    configType: ConfigType,
    configKey: string,
    version: number,
    decision: { status: 'approved' | 'rejected'; decidedBy: string; decidedAt: string; rejectionReason: string | null },
  ): Promise<boolean> {
    const updated = await this.database(TABLE)
      .where({ config_type: configType, config_key: configKey, version, status: 'proposed' })
      .update({
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        rejection_reason: decision.rejectionReason,
      });
    return updated === 1;
  }

  /** The query behind `listCurrent`, exposed so its SQL Server text can be checked. */
  currentQuery(configType: ConfigType): Knex.QueryBuilder {
    const latestApproved = this.database(`${TABLE} as newer`)
      .max('newer.version')
      .whereRaw('?? = ??', ['newer.config_type', 'current.config_type'])
      .andWhereRaw('?? = ??', ['newer.config_key', 'current.config_key'])
      .andWhere('newer.status', 'approved');
    return this.database(`${TABLE} as current`)
      .select('current.*')
      .where('current.config_type', configType)
      .andWhere('current.status', 'approved')
      .andWhere('current.version', '=', latestApproved)
      .orderBy('current.config_key', 'asc');
  }
}

function toRecord(row: ConfigVersionRow): ConfigVersionRecord {
  return {
    configType: row.config_type,
    configKey: row.config_key,
    version: Number(row.version),
    status: row.status,
    payload: JSON.parse(row.payload) as unknown,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason,
  };
}
