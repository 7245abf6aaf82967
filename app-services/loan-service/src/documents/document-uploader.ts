import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { requireRole } from '../auth/identity';
import type { ApplicationService } from '../domain/application-service';
import type { Clock, ServiceContext } from '../domain/service-context';
import { writeAuditLog } from '../observability/audit-log';
import type { ServiceMetrics } from '../observability/service-metrics';
import type { DocumentKind, DocumentRecord, DocumentRepository } from '../repositories/document-repository';
import { UnsupportedMediaTypeError } from './document-errors';
import { isDocumentContentType } from './document-signatures';
import type { DocumentStore } from './document-store';
import { inspect, stopReading, UploadInspector } from './upload-inspector';

/** An upload as it arrives: the request body, not yet read, and its declared length. */
export interface IncomingDocument {
  readonly stream: Readable;
  /** From Content-Length; already checked against the limit. */
  readonly sizeBytes: number;
}

/**
 * Uploads documents by streaming them to the document store: the bytes are checked against
 * the declared content type, counted against MAX_DOCUMENT_BYTES and hashed on their way
 * through, so memory per upload stays at a few stream buffers whatever the document's size.
 * Metadata is written only after the store has every byte.
 */
export class DocumentUploader {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly store: DocumentStore,
    private readonly applications: ApplicationService,
    private readonly metrics: ServiceMetrics,
    private readonly clock: Clock,
    private readonly maxDocumentBytes: number,
  ) {}

  async upload(
    context: ServiceContext,
    applicationId: string,
    kind: DocumentKind,
    contentType: string,
    body: IncomingDocument,
  ): Promise<DocumentRecord> {
    // A loan officer of the application's branch only (403 before anything about the body).
    await this.applications.assertCanActOnApplication(context.identity, applicationId, 'loan_officer', 'upload documents to');
    if (!isDocumentContentType(contentType)) throw new UnsupportedMediaTypeError(`Content-Type "${contentType}" is not a document type`);
    const id = randomUUID();
    const storageKey = `applications/${applicationId}/${id}`;
    const inspector = inspect(body.stream, new UploadInspector(contentType, this.maxDocumentBytes));
    // Bytes first: a failed upload leaves at worst an orphan object, never metadata without bytes.
    try {
      await this.store.put(storageKey, { stream: inspector, sizeBytes: body.sizeBytes }, contentType);
    } catch (error) {
      stopReading(body.stream, inspector);
      throw error;
    }
    const document: DocumentRecord = {
      id,
      applicationId,
      kind,
      contentType,
      sizeBytes: inspector.bytes,
      sha256: inspector.sha256,
      storageKey,
      uploadedBy: context.identity.userId,
      uploadedAt: this.clock().toISOString(),
    };
    await this.documents.insert(document);
    this.metrics.documentsUploaded.inc();
    writeAuditLog(
      context.log,
      { actor: context.identity.userId, action: 'document.upload', entity: { type: 'application_document', id }, before: null, after: document },
      document.uploadedAt,
    );
    return document;
  }
}
