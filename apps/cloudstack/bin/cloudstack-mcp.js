#!/usr/bin/env node
// The cloudstack-mcp command. A committed file rather than dist/cli.js itself, so that pnpm can link the command
// on a fresh clone before anything is built.
import '../dist/cli.js';
