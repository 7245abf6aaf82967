import type { DocumentStoreConfig } from '../config/service-config';
import type { DocumentStore } from './document-store';
import { FilesystemDocumentStore } from './filesystem-document-store';
import { S3DocumentStore, type SdkWarningSink } from './s3-document-store';

/** The document store named by `DOCUMENT_STORE`; `log` receives the S3 SDK's warnings. */
export function createDocumentStore(config: DocumentStoreConfig, log?: SdkWarningSink): DocumentStore {
  return config.store === 's3' ? new S3DocumentStore(config, log) : new FilesystemDocumentStore(config.directory);
}
