import {
  getOAuthProtectedResourceMetadataUrl,
  type OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/server';
import type { OAuthSettings } from './settings.js';

// RFC 9728 Protected Resource Metadata: how a client that got a 401 from /mcp learns which authorization
// server to ask for a token, for which resource, with which scopes.

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The document: this resource, its one authorization server, the scopes it knows, tokens in the header. */
export function protectedResourceMetadata(settings: OAuthSettings): OAuthProtectedResourceMetadata {
  return {
    resource: settings.audience,
    authorization_servers: [settings.issuer],
    scopes_supported: [settings.readScope, settings.writeScope],
    bearer_methods_supported: ['header'],
  };
}

/**
 * Where the document is served: the path-suffixed form RFC 9728 §3.1 gives for the audience's path (the
 * one `resource_metadata` names), the same for `/mcp` (the audience may name a proxy's path), and the
 * root form, which MCP clients try when a 401 names none.
 */
export function metadataPaths(settings: OAuthSettings): string[] {
  const audiencePath = new URL(settings.audience).pathname.replace(/\/$/, '');
  return [...new Set([`${METADATA_PATH}${audiencePath}`, `${METADATA_PATH}/mcp`, METADATA_PATH])];
}

/** The document's URL as a 401's `resource_metadata` names it (the SDK's own derivation). */
export function resourceMetadataUrl(settings: OAuthSettings): string {
  return getOAuthProtectedResourceMetadataUrl(new URL(settings.audience));
}
