import type { DocumentStoreConfig } from '../config/service-config';
import type { DocumentStore } from './document-store';
import { FilesystemDocumentStore } from './filesystem-document-store';
import { S3DocumentStore } from './s3-document-store';

/** The document store named by `DOCUMENT_STORE`. */
export function createDocumentStore(config: DocumentStoreConfig): DocumentStore {
  return config.store === 's3' ? new S3DocumentStore(config) : new FilesystemDocumentStore(config.directory);
}
