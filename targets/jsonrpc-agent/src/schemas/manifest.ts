import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { AgentUrn, JsonObject, Nullable } from './common.js';

/** PEP 440 version (packaging's VERSION_PATTERN, case-insensitive, surrounding spaces allowed). */
export const PEP440 =
  /^\s*v?(?:(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?(?:[-_.]?dev[-_.]?[0-9]*)?)(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\s*$/i;

const Skill = Type.Object(
  {
    id: Type.String(),
    description: Type.String(),
    input_schema: Nullable(JsonObject),
    output_schema: Nullable(JsonObject),
  },
  { additionalProperties: false },
);

/** Manifest as served: every field present, optional ones null. Validated after defaults are applied. */
export const ManifestSchema = Type.Object(
  {
    id: AgentUrn,
    name: Type.String(),
    version: Type.String({ format: 'pep440' }),
    description: Type.String(),
    capabilities: Type.Object(
      {
        asap_version: Type.String(),
        skills: Type.Array(Skill),
        state_persistence: Type.Boolean(),
        streaming: Type.Boolean(),
        mcp_tools: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    endpoints: Type.Object(
      { asap: Type.String({ format: 'uri' }), events: Nullable(Type.String({ format: 'uri' })) },
      { additionalProperties: false },
    ),
    auth: Nullable(
      Type.Object(
        {
          schemes: Type.Array(Type.String({ pattern: '^(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])$' })),
          oauth2: Nullable(JsonObject),
        },
        { additionalProperties: false },
      ),
    ),
    signature: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export type Manifest = Static<typeof ManifestSchema>;

/** What callers may pass: the optional parts can be left out. */
export interface ManifestInput {
  id: string;
  name: string;
  version: string;
  description: string;
  capabilities?: {
    asap_version?: string;
    skills?: Array<{ id: string; description: string; input_schema?: Record<string, unknown> | null; output_schema?: Record<string, unknown> | null }>;
    state_persistence?: boolean;
    streaming?: boolean;
    mcp_tools?: string[];
  };
  endpoints: { asap: string; events?: string | null };
  auth?: { schemes: string[]; oauth2?: Record<string, unknown> | null } | null;
  signature?: string | null;
}

/** The original's default server manifest. */
export const DEFAULT_MANIFEST: ManifestInput = {
  id: 'urn:asap:agent:default-server',
  name: 'ASAP Default Server',
  version: '1.0.0-dev',
  description: 'Default ASAP protocol server with echo capabilities',
  capabilities: { asap_version: '0.1', skills: [{ id: 'echo', description: 'Echo back the input' }], state_persistence: false },
  endpoints: { asap: 'http://localhost:8000/asap' },
};
