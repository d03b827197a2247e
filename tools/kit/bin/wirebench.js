#!/usr/bin/env node
// The kit runs from TypeScript sources: register tsx, then hand over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
