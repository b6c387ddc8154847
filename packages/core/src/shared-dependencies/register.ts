/**
 * Entry for `node --import`: installs the shared-dependency resolution before any module of the process is loaded,
 * for processes that import a plugin package's files directly (its spec files) rather than through loadRegistry.
 */
import { lookrightRoot } from '../load-registry.js';
import { installSharedDependencyResolution } from './install.js';

installSharedDependencyResolution(lookrightRoot());
