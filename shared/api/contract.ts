/**
 * The wire contract of one endpoint: method, path (under /api) and the zod schemas of its input and of
 * the `data` it answers. The server attaches a handler and an access rule to it (`server/routes/define.ts`),
 * the OpenAPI document reads it, and the clients call it through `ApiClient.call`, so the path, the input
 * and the response type of every call come from this one declaration, never from a hand-written copy.
 */
import { z } from "zod";

/** HTTP methods a route can declare. */
export type Method = "get" | "post" | "put" | "patch" | "delete";

type Schema = z.ZodType;

/** One endpoint's contract; an omitted schema means "no such input" (or, for `response`, no JSON body). */
export interface Endpoint<
  B extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  P extends Schema | undefined = Schema | undefined,
  R extends Schema | undefined = Schema | undefined,
> {
  method: Method;
  /** The path under /api, with `:name` parameters (`/requests/:id/events`). */
  path: string;
  body?: B;
  query?: Q;
  params?: P;
  /** The schema of the `data` of a success answer; absent for files and other non-JSON answers. */
  response?: R;
}

/**
 * Declares an endpoint, keeping the exact schema types for the server's handler and the clients' calls.
 * @param spec the contract.
 */
export function endpoint<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: Endpoint<B, Q, P, R>): Endpoint<B, Q, P, R> {
  return spec;
}

/**
 * The schema of an answer whose type is declared in TypeScript only (a DTO not yet written as a zod
 * schema): the clients get its type, but neither the OpenAPI document nor the test-mode check sees its
 * shape. Prefer a real schema.
 */
export function typedAs<T>(): z.ZodType<T> {
  return z.custom<T>(() => true);
}

type Part<K extends string, S> = S extends Schema
  ? object extends z.input<S>
    ? { [key in K]?: z.input<S> }
    : { [key in K]: z.input<S> }
  : { [key in K]?: never };

/** What a caller passes: `{ params, query, body }`, each typed by its schema (optional when all-optional). */
export type InputOf<E> =
  E extends Endpoint<infer B, infer Q, infer P, Schema | undefined>
    ? Part<"body", B> & Part<"query", Q> & Part<"params", P>
    : never;

/** The `data` a call answers. */
export type ResponseOf<E> =
  E extends Endpoint<Schema | undefined, Schema | undefined, Schema | undefined, infer R>
    ? R extends Schema
      ? z.output<R>
      : undefined
    : never;

/** The arguments after the endpoint: the input, optional when every part is optional. */
export type InputArgs<E> = object extends InputOf<E> ? [input?: InputOf<E>] : [input: InputOf<E>];

type QueryValue = string | number | boolean | null | undefined;

/**
 * The path (under /api) of a call: `:name` parameters filled in and encoded, the query appended
 * (undefined and empty values left out).
 */
export function pathOf(
  spec: Pick<Endpoint, "path">,
  input: { params?: unknown; query?: unknown } = {},
): string {
  const params = (input.params ?? {}) as Record<string, QueryValue>;
  const path = spec.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === "")
      throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, QueryValue>)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
