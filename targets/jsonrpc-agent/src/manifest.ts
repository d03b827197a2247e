import fastJson from 'fast-json-stringify';
import { ajv, formatAjvErrors } from './ajv.js';
import { AgentError } from './errors.js';
import { DEFAULT_MANIFEST, ManifestSchema } from './schemas/manifest.js';
import type { Manifest, ManifestInput } from './schemas/manifest.js';

const validateManifest = ajv.compile(ManifestSchema);
const stringifyManifest = fastJson(ManifestSchema as object);

/** Fill every optional manifest field with its default (nulls included) and validate. Throws WB_ERR_INVALID_MANIFEST. */
export function normalizeManifest(input: ManifestInput = DEFAULT_MANIFEST): Manifest {
  const caps = input.capabilities ?? {};
  const m = {
    id: input.id,
    name: input.name,
    version: input.version,
    description: input.description,
    capabilities: {
      asap_version: caps.asap_version ?? '0.1',
      skills: (caps.skills ?? []).map((s) => ({
        id: s.id,
        description: s.description,
        input_schema: s.input_schema ?? null,
        output_schema: s.output_schema ?? null,
      })),
      state_persistence: caps.state_persistence ?? false,
      streaming: caps.streaming ?? false,
      mcp_tools: caps.mcp_tools ?? [],
    },
    endpoints: { asap: input.endpoints?.asap, events: input.endpoints?.events ?? null },
    auth: input.auth ? { schemes: input.auth.schemes, oauth2: input.auth.oauth2 ?? null } : null,
    signature: input.signature ?? null,
  };
  if (!validateManifest(m)) {
    const errors = formatAjvErrors(validateManifest.errors);
    throw new AgentError(
      'WB_ERR_INVALID_MANIFEST',
      `Invalid manifest: ${errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ')}`,
      errors,
    );
  }
  return m as Manifest;
}

/** The manifest document as served (compiled serializer; every field present). */
export function serializeManifest(manifest: Manifest): string {
  return stringifyManifest(manifest);
}

export { DEFAULT_MANIFEST };
export type { Manifest, ManifestInput };
