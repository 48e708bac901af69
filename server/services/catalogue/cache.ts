/**
 * Response cache of the public catalogue reads. Every catalogue write bumps a generation number,
 * which drops every cached page at once; entries also expire after a few seconds so writes made by
 * another process (a CLI import) show up within seconds without coordination.
 */
import { createHash } from "node:crypto";
import { type ContentEncoding, compressBody } from "../../http/encoding.ts";
import { markReadModelDirty } from "./readModel.ts";

/**
 * A rendered public response: the JSON bytes, their strong ETag, and the compressed bytes per
 * encoding once a client asked for them (computed once per rendering, then served as they are).
 */
export interface CachedBody {
  body: Buffer;
  etag: string;
  encoded: Partial<Record<ContentEncoding, Buffer | Promise<Buffer>>>;
}

interface Entry extends CachedBody {
  generation: number;
  expires: number;
}

const MAX_ENTRIES = 2000;
const TTL_MS = 15_000;
const entries = new Map<string, Entry>();
let generation = 0;
let enabled = true;
/** Request URL → the cache key and route template it was answered from (see `cachedForUrl`). */
const keysByUrl = new Map<string, { key: string; route: string }>();

/** Marks every cached response stale; called by each catalogue write. */
export function bumpCatalogueGeneration(): void {
  generation += 1;
  entries.clear();
  keysByUrl.clear();
  inFlight.clear();
  markReadModelDirty();
}

/** Turns the cache off or on (the benchmark measures both). */
export function setCatalogueCacheEnabled(on: boolean): void {
  enabled = on;
  entries.clear();
  keysByUrl.clear();
}

/**
 * Remembers that `url` (path and query, as received) was answered from the entry `key` by the route
 * `route`. Only routes that validated the query call this, so a remembered URL is a valid request.
 */
export function rememberUrl(url: string, key: string, route: string): void {
  if (!enabled || keysByUrl.has(url)) return;
  if (keysByUrl.size >= MAX_ENTRIES) keysByUrl.delete(keysByUrl.keys().next().value as string);
  keysByUrl.set(url, { key, route });
}

/**
 * The fresh cached response for a URL answered before, with its route template; undefined when it
 * was never answered, was dropped by a write, or has expired (the route then refreshes it).
 */
export function cachedForUrl(url: string): { cached: CachedBody; route: string } | undefined {
  const known = keysByUrl.get(url);
  if (!known) return undefined;
  const hit = entries.get(known.key);
  if (!hit || hit.generation !== generation || hit.expires <= Date.now()) return undefined;
  return { cached: hit, route: known.route };
}

/** Serialises a success envelope around `data` and computes its strong ETag. */
export function renderEnvelope(data: unknown): CachedBody {
  const body = Buffer.from(JSON.stringify({ ok: true, data }));
  return { body, etag: strongEtag(body), encoded: {} };
}

/**
 * The body of `cached` compressed with `encoding`: compressed on the first request that asks for
 * it, then returned as it is to every later hit.
 */
export function encodedBody(cached: CachedBody, encoding: ContentEncoding): Buffer | Promise<Buffer> {
  const known = cached.encoded[encoding];
  if (known) return known;
  const pending = compressBody(cached.body, encoding).then((bytes) => {
    cached.encoded[encoding] = bytes;
    return bytes;
  });
  cached.encoded[encoding] = pending;
  return pending;
}

/** A strong ETag of some bytes. */
export function strongEtag(bytes: Buffer | string): string {
  return `"${createHash("sha1").update(bytes).digest("base64url")}"`;
}

/**
 * Returns the cached response for `key`, or computes, stores and returns it. Concurrent misses of
 * one key share one computation; an expired entry of the current generation is still served while
 * a single refresh runs in the background (stale-while-revalidate), so a hot page never stalls.
 * @param compute renders the response on a miss.
 */
export async function cachedResponse(key: string, compute: () => Promise<CachedBody>): Promise<CachedBody> {
  if (!enabled) return compute();
  const hit = entries.get(key);
  if (hit && hit.generation === generation) {
    if (hit.expires <= Date.now() && !inFlight.has(key)) void refresh(key, compute).catch(() => undefined);
    return hit;
  }
  return inFlight.get(key) ?? refresh(key, compute);
}

const inFlight = new Map<string, Promise<CachedBody>>();

function refresh(key: string, compute: () => Promise<CachedBody>): Promise<CachedBody> {
  const at = generation;
  const pending = compute()
    .then((fresh) => {
      // A write during the computation may have made it stale; serve it, but do not keep it.
      if (enabled && at === generation) {
        if (entries.size >= MAX_ENTRIES && !entries.has(key))
          entries.delete(entries.keys().next().value as string);
        entries.set(key, { ...fresh, generation: at, expires: Date.now() + TTL_MS });
      }
      return fresh;
    })
    .finally(() => {
      if (inFlight.get(key) === pending) inFlight.delete(key);
    });
  inFlight.set(key, pending);
  return pending;
}
