/** The prefix the running Node was installed under. */
export function nodePrefix(execPath?: string): string;
/** The prefix to give node-gyp as nodedir when its include/node holds this Node's headers, else undefined. */
export function matchingNodedir(execPath?: string, version?: string): string | undefined;
/** node-gyp scripts that may run a build, the preferred first. */
export function nodeGypCandidates(env?: NodeJS.ProcessEnv, execPath?: string): string[];
