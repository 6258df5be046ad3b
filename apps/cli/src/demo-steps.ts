// The steps of the repo's demo (`./dev demo`, src/demo.ts): each a title and the command line, with
// flags that the command's --help lists (test/help.test.ts checks them).
export function demoSteps(idsFile: string, count: number): [title: string, args: string[]][] {
  return [
    ['Rerun the data sharing rules of Leads and wait for them', ['rules', 'rerun', '--module', 'Leads', '--wait', '--sandbox']],
    [
      `Revoke the sharing of ${count} Contacts from ${idsFile}, then read back a sample`,
      // 10 ms of added latency and Zoho's Free-edition cap of 5 parallel calls make the sandbox feel like the real thing.
      ['share', 'revoke', '--module', 'Contacts', '--ids-file', idsFile, '--verify', '--sandbox', '--sandbox-latency-ms', '10', '--sandbox-concurrency-limit', '5'],
    ],
  ];
}
