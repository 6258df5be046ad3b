// Preloaded with NODE_OPTIONS=--import=<this file> into a process the package test runs (the CLI):
// every 'warning' event, whatever prints it or not, leaves a line the test fails on.
process.on('warning', (w) => process.stderr.write(`process warning event: ${w.name}: ${w.message}\n`));
