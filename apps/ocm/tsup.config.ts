import { defineConfig } from 'tsup';
import { serverBundle } from '../../scripts/server-bundle.js';

export default defineConfig(serverBundle());
