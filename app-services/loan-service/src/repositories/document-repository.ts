import type { Knex } from 'knex';

export const DOCUMENT_KINDS = ['identity_copy', 'payslip', 'bank_statement', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Metadata of a document stored for an application; the bytes live in the document store. */
export interface DocumentRecord {
  readonly id: string;
  readonly applicationId: string;
  readonly kind: DocumentKind;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

interface DocumentRow {
  id: string;
  application_id: string;
  kind: DocumentKind;
  content_type: string;
  size_bytes: number | string;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: string;
}

const TABLE = 'application_documents';

/** Document metadata in the `application_documents` table. */
export class DocumentRepository {
  constructor(private readonly database: Knex) {}

  async insert(document: DocumentRecord): Promise<void> {
    const row: DocumentRow = {
      id: document.id,
      application_id: document.applicationId,
      kind: document.kind,
      content_type: document.contentType,
      size_bytes: document.sizeBytes,
      sha256: document.sha256,
      storage_key: document.storageKey,
      uploaded_by: document.uploadedBy,
      uploaded_at: document.uploadedAt,
    };
    await this.database(TABLE).insert(row);
  }

  /** Documents of one application, oldest first. */
  async listForApplication(applicationId: string): Promise<DocumentRecord[]> {
    const rows: DocumentRow[] = await this.database(TABLE)
      .where({ application_id: applicationId })
      .orderBy([{ column: 'uploaded_at', order: 'asc' }, { column: 'id', order: 'asc' }]);
    return rows.map(toRecord);
  }

  async find(applicationId: string, documentId: string): Promise<DocumentRecord | undefined> {
    const row: DocumentRow | undefined = await this.database(TABLE)
      .where({ application_id: applicationId, id: documentId })
      .first();
    return row === undefined ? undefined : toRecord(row);
  }
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    applicationId: row.application_id,
    kind: row.kind,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    storageKey: row.storage_key,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
  };
}
