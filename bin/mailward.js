#!/usr/bin/env node
// The `mailward` command. Sources are TypeScript; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
await import('../app/cli/main.ts');
