import { homedir } from 'node:os';
import { join } from 'node:path';
import { LookrightError } from './errors.js';

/** An environment to read, as plugins get it. */
type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Hugging Face hub cache folder, resolved like huggingface_hub: HF_HUB_CACHE (or the older
 * HUGGINGFACE_HUB_CACHE), else HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
 */
export function hubCacheDir(env: Env = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HUGGINGFACE_HUB_CACHE) return env.HUGGINGFACE_HUB_CACHE;
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

/** huggingface_hub's offline switch: HF_HUB_OFFLINE set to 1, true, yes or on. */
export function hubOffline(env: Env): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env.HF_HUB_OFFLINE ?? '').toLowerCase());
}

/** The hub token (HF_TOKEN, or the older HUGGING_FACE_HUB_TOKEN); only ever sent to the hub. */
export function hubToken(env: Env): string | undefined {
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
}

/** Removes the token from any text that may reach a message or log. */
export function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join('***') : text;
}

/** An error and its causes in one line ("fetch failed: getaddrinfo ENOTFOUND huggingface.co [ENOTFOUND]"). */
export function describeFailure(error: unknown): string {
  if (error instanceof LookrightError) return error.message;
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    parts.push(code ? `${e.message} [${code}]` : e.message);
  }
  return parts.join(': ') || String(error);
}
