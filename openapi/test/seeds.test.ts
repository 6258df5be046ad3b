// The seed documents' own sample responses must validate against the spec as they stand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { operation, validatorFor } from '../testing/spec.ts';

// Zoho's documentation pages for the two endpoints, copied into the repo (see fixtures/zoho-docs/README.md).
const seedsDir = fileURLToPath(new URL('./fixtures/zoho-docs/', import.meta.url));

function seed(title: string): string {
  const file = readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).find((f) => readFileSync(join(seedsDir, f), 'utf8').startsWith(title));
  if (!file) throw new Error(`no seed document titled "${title}" in ${seedsDir}`);
  return readFileSync(join(seedsDir, file), 'utf8');
}

/** The JSON after "Sample Response" (the docs' copy button leaves the word "Copied" before it). */
function sampleResponse(doc: string): unknown {
  const at = doc.indexOf('Sample Response');
  if (at < 0) throw new Error('seed has no "Sample Response"');
  const json = doc.slice(doc.indexOf('{', at));
  return JSON.parse(json);
}

describe('the seeds sample responses validate against the 200 response schemas', () => {
  it.each([
    ['Rerun Data Sharing Rules', 'rerunDataSharingRules'],
    ['Revoke Shared Records', 'revokeSharedRecord'],
  ])('%s -> %s 200', (title, operationId) => {
    const body = sampleResponse(seed(title));
    const schema = operation(operationId).op.responses['200'].content['application/json'].schema;
    const validate = validatorFor(schema);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the revoke sample keeps its 19-digit id as a string', () => {
    const body = sampleResponse(seed('Revoke Shared Records')) as { share: { details: { id: unknown } } };
    expect(body.share.details.id).toBe('4150868000001148212');
  });
});

describe('the seeds request shapes match the spec', () => {
  it('rerun: POST .../settings/data_sharing/rules/actions/run with a required module query parameter', () => {
    const doc = seed('Rerun Data Sharing Rules');
    expect(doc).toContain('/crm/{version}/settings/data_sharing/rules/actions/run');
    const { method, path, op } = operation('rerunDataSharingRules');
    expect([method, path]).toEqual(['POST', '/settings/data_sharing/rules/actions/run']);
    const module = op.parameters.map((p: any) => (p.$ref ? p.$ref.split('/').pop() : p.name));
    expect(module).toEqual(['ModuleQuery']);
  });

  it('revoke: DELETE .../{module_api_name}/{record_id}/actions/share', () => {
    const doc = seed('Revoke Shared Records');
    expect(doc).toContain('/crm/{version}/{module_api_name}/{record_id}/actions/share');
    const { method, path } = operation('revokeSharedRecord');
    expect([method, path]).toEqual(['DELETE', '/{module_api_name}/{record_id}/actions/share']);
  });
});
