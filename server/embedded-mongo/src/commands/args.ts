/**
 * Typed readers for command arguments, failing with MongoDB's codes and wording.
 */
import { Long } from "bson";
import { mongoError } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import type { CommandContext } from "./context.ts";

/** BSON type names as MongoDB's IDL errors print them. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "double";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (value instanceof Date) return "date";
  const tag = (value as { _bsontype?: string })._bsontype;
  return tag ? tag.toLowerCase() : "object";
}

function wrongType(ctx: CommandContext, field: string, value: unknown, expected: string): Error {
  return mongoError(
    14,
    `BSON field '${ctx.name}.${field}' is the wrong type '${typeName(value)}', expected type '${expected}'`,
  );
}

/** The collection named by the command's first field. */
export function collectionName(ctx: CommandContext): string {
  const value = ctx.command[ctx.name];
  if (typeof value !== "string" || value.length === 0) {
    throw mongoError(73, `collection name has invalid type ${typeName(value)}`);
  }
  return value;
}

/** An optional document argument. */
export function optionalDoc(ctx: CommandContext, field: string): Document | undefined {
  const value = ctx.command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || (value as { _bsontype?: string })._bsontype) {
    throw wrongType(ctx, field, value, "object");
  }
  return value as Document;
}

/** An optional array argument. */
export function optionalArray(ctx: CommandContext, field: string): unknown[] | undefined {
  const value = ctx.command[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(ctx, field, value, "array");
  return value;
}

/** A required array of documents (insert.documents, update.updates, pipeline). */
export function requiredDocArray(ctx: CommandContext, field: string): Document[] {
  const value = ctx.command[field];
  if (value === undefined)
    throw mongoError(40414, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  if (!Array.isArray(value)) throw wrongType(ctx, field, value, "array");
  for (const item of value) {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw wrongType(ctx, field, item, "object");
  }
  return value as Document[];
}

/** An optional boolean (numbers are accepted as MongoDB does). */
export function optionalBool(ctx: CommandContext, field: string, fallback: boolean): boolean {
  const value = ctx.command[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  throw wrongType(ctx, field, value, "bool");
}

/** An optional integer (int, long or whole double). */
export function optionalInt(
  ctx: CommandContext,
  field: string,
  source: Document = ctx.command,
): number | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  const n = toInt(value);
  if (n === undefined) throw wrongType(ctx, field, value, "long");
  return n;
}

/** Converts int, long or whole double to a number, or undefined. */
export function toInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
  if (value instanceof Long) return value.toNumber();
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/** An optional string argument. */
export function optionalString(ctx: CommandContext, field: string): string | undefined {
  const value = ctx.command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(ctx, field, value, "string");
  return value;
}

/** The collation argument; "simple" means none. */
export function collationOf(ctx: CommandContext, source: Document = ctx.command): Collation | undefined {
  const value = source.collation;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(ctx, "collation", value, "object");
  const collation = value as Collation;
  if (typeof collation.locale !== "string")
    throw mongoError(40414, "BSON field 'collation.locale' is missing but a required field");
  if (collation.locale === "simple") return undefined;
  return collation;
}

/** The batch size of a cursor option, validated as MongoDB does. */
export function batchSizeOf(
  ctx: CommandContext,
  source: Document | undefined,
  field = "batchSize",
): number | undefined {
  if (!source) return undefined;
  const size = optionalInt(ctx, field, source);
  if (size !== undefined && size < 0)
    throw mongoError(51024, `BSON field '${field}' value must be >= 0, actual value '${size}'`);
  return size;
}
