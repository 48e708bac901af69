/**
 * A tiny hash router: `#/requests/abc?state=received` → path segments and query. Pure, unit-tested.
 */

/** A parsed location. */
export interface Location {
  path: string;
  segments: string[];
  query: Record<string, string>;
}

/** Parses `location.hash`. */
export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, "") || "/";
  const [pathPart = "/", queryPart = ""] = raw.split("?", 2);
  const path = `/${pathPart.split("/").filter(Boolean).join("/")}`;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(queryPart)) query[key] = value;
  return { path, segments: path.split("/").filter(Boolean), query };
}

/** Builds a hash for `path` with optional query (empty values dropped). */
export function buildHash(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}
