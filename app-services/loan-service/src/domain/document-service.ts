import type { DocumentStore } from '../documents/document-store';
import type { DocumentRecord, DocumentRepository } from '../repositories/document-repository';
import type { ApplicationService } from './application-service';
import { NotFoundError } from './domain-errors';
import type { ServiceContext } from './service-context';

/** Content types accepted for documents. */
export const ALLOWED_DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** Documents attached to loan applications: metadata in the database, bytes in the document store. */
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly store: DocumentStore,
    private readonly applications: ApplicationService,
  ) {}

  /** The documents of an application the caller may read (see ApplicationService.assertCanReadApplication). */
  async list(context: ServiceContext, applicationId: string): Promise<DocumentRecord[]> {
    await this.applications.assertCanReadApplication(context.identity, applicationId);
    return this.documents.listForApplication(applicationId);
  }

  /** A document of an application the caller may read (see ApplicationService.assertCanReadApplication). */
  async download(context: ServiceContext, applicationId: string, documentId: string): Promise<{ document: DocumentRecord; body: Buffer }> {
    await this.applications.assertCanReadApplication(context.identity, applicationId);
    const document = await this.documents.find(applicationId, documentId);
    if (document === undefined) {
      throw new NotFoundError(`document "${documentId}" does not exist for loan application "${applicationId}"`);
    }
    return { document, body: await this.store.get(document.storageKey) };
  }
}
