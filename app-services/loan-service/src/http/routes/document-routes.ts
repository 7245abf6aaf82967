import { z } from 'zod';
import type { IncomingDocument } from '../../documents/document-uploader';
import { ALLOWED_DOCUMENT_CONTENT_TYPES } from '../../domain/document-service';
import { applicationParamsSchema, documentParamsSchema, documentSchema, documentUploadQuerySchema } from '../api-schemas';
import { presentDocument } from '../presenters';
import type { RouteDependencies } from '../route-dependencies';

const TAG = 'documents';
const EXTENSIONS: Readonly<Record<string, string>> = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png' };

/**
 * Documents of an application (identity copy, payslip, ...). Uploads are the raw bytes with a
 * Content-Type from the allow-list (else 415), a Content-Length (else 411) of at most
 * MAX_DOCUMENT_BYTES (else 413), and bytes that start the way that type starts (else 415).
 * The body is streamed to the document store, never held whole in memory. Registered in their
 * own fastify scope so the pass-through body parser applies to these routes only.
 */
export function registerDocumentRoutes(dependencies: RouteDependencies): void {
  const { app, routes, documents, documentUploads, maxDocumentBytes } = dependencies;
  app.register(async (scope) => {
    // The "parser" hands the unread request stream to the handler, which streams it to storage.
    scope.addContentTypeParser([...ALLOWED_DOCUMENT_CONTENT_TYPES], (_request, payload, done) => {
      done(null, payload);
    });
    routes.add<z.infer<typeof applicationParamsSchema>, z.infer<typeof documentUploadQuerySchema>, IncomingDocument>(scope, {
      method: 'POST', url: '/v1/applications/:applicationId/documents', tag: TAG, authenticated: true, roles: ['loan_officer'],
      params: applicationParamsSchema, query: documentUploadQuerySchema,
      body: { binary: ALLOWED_DOCUMENT_CONTENT_TYPES }, bodyLimit: maxDocumentBytes,
      summary: `Upload a document (loan_officer): the raw bytes as the body, ?kind=identity_copy|payslip|bank_statement|other, at most ${maxDocumentBytes} bytes.`,
      responses: {
        201: { description: 'The stored document metadata.', schema: documentSchema },
        400: { description: 'Missing or unknown kind, or empty body.' }, 401: { description: 'No or invalid identity.' },
        403: { description: 'Missing loan_officer role.' }, 404: { description: 'Unknown application.' },
        411: { description: 'No Content-Length (chunked upload).' },
        413: { description: 'Larger than MAX_DOCUMENT_BYTES.' },
        415: { description: 'Content-Type not in the allow-list, or the bytes do not start as that type does.' },
      },
      handler: async ({ params, query, body, identity, request, reply }) => {
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const stored = await documentUploads.upload({ identity, log: request.log }, params.applicationId, query.kind, contentType, body);
        return reply.code(201).send(presentDocument(stored));
      },
    });
  });
  routes.add(app, {
    method: 'GET', url: '/v1/applications/:applicationId/documents', tag: TAG, authenticated: true, params: applicationParamsSchema,
    summary: "List an application's documents, oldest first.",
    responses: { 200: { description: 'Document metadata.', schema: z.object({ items: z.array(documentSchema) }) }, 401: { description: 'No or invalid identity.' }, 403: { description: 'The application is outside the caller\'s branches, or the caller has no application role.' }, 404: { description: 'Unknown application.' } },
    handler: async ({ params, identity, request }) => ({ items: (await documents.list({ identity, log: request.log }, params.applicationId)).map(presentDocument) }),
  });
  routes.add(app, {
    method: 'GET', url: '/v1/applications/:applicationId/documents/:documentId', tag: TAG, authenticated: true, params: documentParamsSchema,
    summary: 'Download a document with its original Content-Type.',
    responses: { 200: { description: 'The document bytes.', contentType: 'application/octet-stream' }, 401: { description: 'No or invalid identity.' }, 403: { description: 'The application is outside the caller\'s branches, or the caller has no application role.' }, 404: { description: 'Unknown application or document.' } },
    handler: async ({ params, identity, request, reply }) => {
      const { document, body } = await documents.download({ identity, log: request.log }, params.applicationId, params.documentId);
      return reply
        .header('content-type', document.contentType)
        .header('content-disposition', `attachment; filename="${document.kind}-${document.id}${EXTENSIONS[document.contentType] ?? ''}"`)
        .header('x-content-sha256', document.sha256)
        .send(body);
    },
  });
}
