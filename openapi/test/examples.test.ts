import { describe, expect, it } from 'vitest';
import { requestExamples, responseExamples, validatorFor } from '../testing/spec.ts';

const examples = responseExamples();

describe('every named response example validates against its response schema', () => {
  it('the spec has examples to check', () => {
    // 110 named examples over 6 operations when this was written; a walk that finds none must not pass.
    expect(examples.length).toBeGreaterThanOrEqual(110);
    expect(new Set(examples.map((e) => e.operationId))).toEqual(
      new Set([
        'rerunDataSharingRules',
        'getDataSharingRulesSummary',
        'getSharedRecordDetails',
        'shareRecord',
        'updateRecordShares',
        'revokeSharedRecord',
      ]),
    );
  });

  it.each(examples.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))('%s', (_label, e) => {
    const validate = validatorFor(e.schema);
    const ok = validate(e.value);
    expect(validate.errors ?? [], JSON.stringify(e.value)).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('the example check can fail', () => {
  const success = examples.find((e) => e.operationId === 'revokeSharedRecord' && e.status === '200')!;
  const rerun = examples.find((e) => e.operationId === 'rerunDataSharingRules' && e.status === '200')!;
  const clone = <T>(v: T): T => structuredClone(v);

  it('rejects a record id that is a number, not a string', () => {
    const broken: any = clone(success.value);
    broken.share.details.id = 4150868000001148212; // what a JSON.parse of an int64 id would produce
    expect(validatorFor(success.schema)(broken)).toBe(false);
  });

  it('rejects a record id of 20 digits', () => {
    const broken: any = clone(success.value);
    broken.share.details.id = '41508680000011482120';
    expect(validatorFor(success.schema)(broken)).toBe(false);
  });

  it('rejects a status object without `details`', () => {
    const broken: any = clone(success.value);
    delete broken.share.details;
    expect(validatorFor(success.schema)(broken)).toBe(false);
  });

  it('rejects a status other than success or error', () => {
    const broken: any = clone(success.value);
    broken.share.status = 'ok';
    expect(validatorFor(success.schema)(broken)).toBe(false);
  });

  it('rejects `sharing_rules` given as one object instead of an array', () => {
    const broken: any = clone(rerun.value);
    broken.sharing_rules = broken.sharing_rules[0];
    expect(validatorFor(rerun.schema)(broken)).toBe(false);
  });

  it('rejects an empty `sharing_rules` array', () => {
    expect(validatorFor(rerun.schema)({ sharing_rules: [] })).toBe(false);
  });

  const details = examples.find((e) => e.operationId === 'getSharedRecordDetails' && e.status === '200')!;

  it('rejects a share entry whose recipient id is a number', () => {
    const broken: any = clone(details.value);
    broken.share[0].shared_with.id = 4150868000000224005;
    expect(validatorFor(details.schema)(broken)).toBe(false);
  });

  it('rejects a share entry with a permission Zoho does not document', () => {
    const broken: any = clone(details.value);
    broken.share[0].permission = 'owner';
    expect(validatorFor(details.schema)(broken)).toBe(false);
  });

  it('rejects a shared_time that is not a date-time', () => {
    const broken: any = clone(details.value);
    broken.share[0].shared_time = 'yesterday';
    expect(validatorFor(details.schema)(broken)).toBe(false);
  });
});

describe('request body examples validate against their schemas', () => {
  const bodies = requestExamples();
  it('there are request examples for every operation with a body', () => {
    expect(new Set(bodies.map((b) => b.operationId))).toEqual(new Set(['shareRecord', 'updateRecordShares']));
  });
  it.each(bodies.map((b) => [`${b.operationId} ${b.name}`, b] as const))('%s', (_label, b) => {
    const validate = validatorFor(b.schema);
    expect(validate(b.value), JSON.stringify(validate.errors)).toBe(true);
  });
  it('the check can fail: 21 entries are more than Zoho takes in one call', () => {
    const b = bodies[0]!;
    const entry = (b.value as any).share[0];
    expect(validatorFor(b.schema)({ share: Array.from({ length: 21 }, () => entry) })).toBe(false);
  });
});
