// Runs before every test file: whatever temporary folders its tests made go when it ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);
