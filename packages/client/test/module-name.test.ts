// `module` takes the standard module names, which editors complete, and any other API name (custom
// modules): the type is `KnownModule | (string & {})`. These are type assertions, held by the
// typecheck (tsconfig includes test/); the runtime assertion below keeps vitest from calling it empty.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { KNOWN_MODULES, type KnownModule, type ModuleName, type ZohoCrmClient } from '../src/index.ts';

type RevokeModule = Parameters<ZohoCrmClient['revokeSharedRecord']>[0]['module'];

describe('ModuleName', () => {
  it('is what every operation takes as module, and keeps the standard names as literals', () => {
    expectTypeOf<RevokeModule>().toEqualTypeOf<ModuleName>();
    expectTypeOf<Parameters<ZohoCrmClient['rerunDataSharingRules']>[0]['module']>().toEqualTypeOf<ModuleName>();
    expectTypeOf<Parameters<ZohoCrmClient['getSharedRecordDetails']>[0]['module']>().toEqualTypeOf<ModuleName>();
    // The literal union survives (that is what editors complete): it is not widened to string.
    expectTypeOf<Extract<ModuleName, 'Leads'>>().toEqualTypeOf<'Leads'>();
    expectTypeOf<KnownModule>().toMatchTypeOf<ModuleName>();
    // Any other API name is accepted; a number is not.
    expectTypeOf<'Custom_Module__c'>().toMatchTypeOf<ModuleName>();
    expectTypeOf<number>().not.toMatchTypeOf<ModuleName>();
    expect(KNOWN_MODULES).toContain('Leads');
  });
});
