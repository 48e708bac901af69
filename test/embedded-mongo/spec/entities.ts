// The entity map of a test and the creation of entities (clients with event recording, databases, collections,
// sessions, GridFS buckets) from `createEntities` definitions.
import {
  type AbstractCursor,
  type ClientSession,
  type ClientSessionOptions,
  type Collection,
  type CollectionOptions,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type DbOptions,
  type Document,
  GridFSBucket,
  type GridFSBucketOptions,
  MongoClient,
  type MongoClientOptions,
  ReadConcern,
  type ReadConcernLevel,
  type ReadConcernLike,
  ReadPreference,
  type ReadPreferenceMode,
  type ServerApiVersion,
  type TagSet,
  type TransactionOptions,
} from "mongodb";
import { SpecFailure, SpecSkip } from "./types.ts";
import { cloneDocument, type Doc, isDocument, show } from "./values.ts";

/** A command monitoring event as recorded for a client entity. */
export interface CommandEventRecord {
  type: "commandStartedEvent" | "commandSucceededEvent" | "commandFailedEvent";
  commandName: string;
  databaseName: string;
  command?: Document;
  reply?: Document;
  failure?: unknown;
  serverConnectionId: bigint | null;
  hasServiceId: boolean;
}

/** A connection-pool (CMAP) event as recorded for a client entity. */
export interface CmapEventRecord {
  type: string;
  hasServiceId: boolean;
}

/** Driver CMAP event name → unified-format event name. */
const CMAP_EVENTS: Record<string, string> = {
  connectionPoolCreated: "poolCreatedEvent",
  connectionPoolReady: "poolReadyEvent",
  connectionPoolCleared: "poolClearedEvent",
  connectionPoolClosed: "poolClosedEvent",
  connectionCreated: "connectionCreatedEvent",
  connectionReady: "connectionReadyEvent",
  connectionClosed: "connectionClosedEvent",
  connectionCheckOutStarted: "connectionCheckOutStartedEvent",
  connectionCheckOutFailed: "connectionCheckOutFailedEvent",
  connectionCheckedOut: "connectionCheckedOutEvent",
  connectionCheckedIn: "connectionCheckedInEvent",
};

const COMMAND_EVENT_TYPES = new Set(["commandStartedEvent", "commandSucceededEvent", "commandFailedEvent"]);

/** Commands whose monitoring events carry secrets and are never observed (unless observeSensitiveCommands). */
const SENSITIVE_COMMANDS = new Set([
  "authenticate",
  "saslstart",
  "saslcontinue",
  "getnonce",
  "createuser",
  "updateuser",
  "copydbgetnonce",
  "copydbsaslstart",
  "copydb",
]);
const HELLO_COMMANDS = new Set(["hello", "ismaster"]);

/** A MongoClient entity plus the events observed on it. */
export class ClientEntity {
  readonly commandEvents: CommandEventRecord[] = [];
  readonly cmapEvents: CmapEventRecord[] = [];
  /** Command documents of every observed commandStartedEvent (for the lsid assertions). */
  readonly startedCommands: Document[] = [];
  /** Connections currently checked out (from CMAP events). */
  checkedOut = 0;
  /** False once the test's operations are over: later events are not recorded. */
  listening = true;
  private readonly ignored: Set<string>;

  constructor(
    readonly id: string,
    readonly client: MongoClient,
    readonly observe: ReadonlySet<string>,
    ignoreCommands: readonly string[],
    private readonly observeSensitive: boolean,
  ) {
    this.ignored = new Set(["configurefailpoint", ...ignoreCommands.map((c) => c.toLowerCase())]);
    client.on("commandStarted", (e: CommandStartedEvent) => this.onCommand("commandStartedEvent", e));
    client.on("commandSucceeded", (e: CommandSucceededEvent) => this.onCommand("commandSucceededEvent", e));
    client.on("commandFailed", (e: CommandFailedEvent) => this.onCommand("commandFailedEvent", e));
    for (const [driverName, specName] of Object.entries(CMAP_EVENTS)) {
      client.on(driverName as "connectionCreated", (event: unknown) => this.onCmap(specName, event));
    }
  }

  private onCmap(type: string, event: unknown): void {
    if (type === "connectionCheckedOutEvent") this.checkedOut++;
    if (type === "connectionCheckedInEvent") this.checkedOut--;
    if (!this.listening || !this.observe.has(type)) return;
    const serviceId = isDocument(event) ? event.serviceId : undefined;
    this.cmapEvents.push({ type, hasServiceId: serviceId !== undefined && serviceId !== null });
  }

  private isIgnored(commandName: string, command: Document | undefined): boolean {
    const name = commandName.toLowerCase();
    if (this.ignored.has(name)) return true;
    if (this.observeSensitive) return false;
    if (SENSITIVE_COMMANDS.has(name)) return true;
    // hello with speculativeAuthenticate is redacted by the driver (empty command): sensitive.
    return HELLO_COMMANDS.has(name) && command !== undefined && Object.keys(command).length === 0;
  }

  private onCommand(
    type: CommandEventRecord["type"],
    event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent,
  ): void {
    if (!this.listening) return;
    // Snapshot: the driver mutates objects it shares between commands (e.g. a client-level readConcern).
    const command: Document | undefined = "command" in event ? cloneDocument(event.command) : undefined;
    if (this.isIgnored(event.commandName, command)) return;
    if (!this.observe.has(type)) return;
    if (type === "commandStartedEvent" && command) this.startedCommands.push(command);
    this.commandEvents.push({
      type,
      commandName: event.commandName,
      databaseName: event.databaseName,
      command,
      reply: "reply" in event && isDocument(event.reply) ? cloneDocument(event.reply) : undefined,
      failure: "failure" in event ? event.failure : undefined,
      serverConnectionId: event.serverConnectionId,
      hasServiceId: event.serviceId !== undefined && event.serviceId !== null,
    });
  }
}

/** A session entity: the driver session plus its logical session id captured at creation. */
export interface SessionEntity {
  session: ClientSession;
  lsid: Document;
  clientId: string;
}

/** Every kind of entity the runner stores. */
export type Entity =
  | { kind: "client"; value: ClientEntity }
  | { kind: "database"; value: Db; clientId: string }
  | { kind: "collection"; value: Collection<Document>; clientId: string }
  | { kind: "session"; value: SessionEntity }
  | { kind: "bucket"; value: GridFSBucket }
  | { kind: "cursor"; value: AbstractCursor<Document> }
  | { kind: "value"; value: unknown };

/** Entity kind names. */
export type EntityKind = Entity["kind"];

type ValueOf<K extends EntityKind> = Extract<Entity, { kind: K }>["value"];

/** The entity map of one test. */
export class EntityMap {
  private readonly entries = new Map<string, Entity>();

  /** Stores an entity; a duplicate name is an error. */
  add(name: string, entity: Entity): void {
    if (this.entries.has(name)) throw new SpecFailure(`entity "${name}" is already defined`);
    this.entries.set(name, entity);
  }

  /** The entity of that name, of any kind. */
  entity(name: string): Entity {
    const entity = this.entries.get(name);
    if (!entity) throw new SpecFailure(`entity "${name}" is not defined`);
    return entity;
  }

  /** The value of an entity that must be of the given kind. */
  get<K extends EntityKind>(name: string, kind: K): ValueOf<K> {
    const entity = this.entity(name);
    if (entity.kind !== kind) throw new SpecFailure(`entity "${name}" is a ${entity.kind}, not a ${kind}`);
    return entity.value as ValueOf<K>;
  }

  /** True when an entity of that name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** All client entities. */
  clients(): ClientEntity[] {
    return [...this.entries.values()].flatMap((e) => (e.kind === "client" ? [e.value] : []));
  }

  /** Stops recording events on every client. */
  stopListening(): void {
    for (const client of this.clients()) client.listening = false;
  }

  /** Ends sessions, closes cursors and closes clients (errors are ignored). */
  async close(): Promise<void> {
    const all = [...this.entries.values()];
    for (const e of all) {
      if (e.kind === "cursor") await e.value.close().catch(() => undefined);
    }
    for (const e of all) {
      if (e.kind === "session") await e.value.session.endSession().catch(() => undefined);
    }
    for (const e of all) {
      if (e.kind === "client") await e.value.client.close().catch(() => undefined);
    }
    this.entries.clear();
  }
}

/** Converts a unified-format readPreference document to a driver ReadPreference. */
export function toReadPreference(value: unknown): ReadPreference {
  if (typeof value === "string") return ReadPreference.fromString(value);
  if (!isDocument(value) || typeof value.mode !== "string") {
    throw new SpecFailure(`invalid readPreference ${show(value)}`);
  }
  const tags = Array.isArray(value.tagSets) ? (value.tagSets as TagSet[]) : undefined;
  const options: { maxStalenessSeconds?: number; hedge?: Document } = {};
  if (typeof value.maxStalenessSeconds === "number") options.maxStalenessSeconds = value.maxStalenessSeconds;
  if (isDocument(value.hedge)) options.hedge = value.hedge;
  const mode = value.mode.charAt(0).toLowerCase() + value.mode.slice(1);
  return new ReadPreference(mode as ReadPreferenceMode, tags, options);
}

/** Converts collectionOrDatabaseOptions to driver options. */
export function toCollectionOptions(value: unknown): CollectionOptions & DbOptions {
  if (value === undefined) return {};
  if (!isDocument(value)) throw new SpecFailure(`invalid collection/database options ${show(value)}`);
  const out: CollectionOptions & DbOptions = {};
  for (const [key, option] of Object.entries(value)) {
    if (key === "readPreference") out.readPreference = toReadPreference(option);
    else if (key === "readConcern") {
      if (!isDocument(option) || typeof option.level !== "string")
        throw new SpecFailure("readConcern needs a level");
      out.readConcern = new ReadConcern(option.level as ReadConcernLevel);
    } else if (key === "writeConcern") out.writeConcern = option as CollectionOptions["writeConcern"];
    else if (key === "timeoutMS") out.timeoutMS = Number(option);
    else throw new SpecSkip(`unsupported collection/database option: ${key}`);
  }
  return out;
}

/** Converts transaction options (readConcern, writeConcern, readPreference, maxCommitTimeMS). */
export function toTransactionOptions(value: Doc): TransactionOptions {
  const out: TransactionOptions & { readConcern?: ReadConcernLike } = {};
  for (const [key, option] of Object.entries(value)) {
    if (key === "readPreference") out.readPreference = toReadPreference(option);
    else if (key === "readConcern") out.readConcern = option as ReadConcernLike;
    else if (key === "writeConcern") out.writeConcern = option as TransactionOptions["writeConcern"];
    else if (key === "maxCommitTimeMS") out.maxCommitTimeMS = Number(option);
    else throw new SpecSkip(`unsupported transaction option: ${key}`);
  }
  return out;
}

/** Adds unified-format uriOptions to a connection string (keys in the options override the URI's). */
export function withUriOptions(uri: string, options: Doc | undefined): string {
  if (!options || Object.keys(options).length === 0) return uri;
  const q = uri.indexOf("?");
  const base = q < 0 ? uri : uri.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : uri.slice(q + 1));
  for (const [key, value] of Object.entries(options)) {
    if (isDocument(value) && "$$placeholder" in value)
      throw new SpecSkip(`unsupported uriOptions placeholder: ${key}`);
    params.delete(key);
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else if (isDocument(value)) {
      params.set(
        key,
        Object.entries(value)
          .map(([k, v]) => `${k}:${String(v)}`)
          .join(","),
      );
    } else {
      params.set(key, String(value));
    }
  }
  const path = base.includes("/", "mongodb://".length) ? base : `${base}/`;
  return `${path}?${params.toString()}`;
}

const CLIENT_KEYS = new Set([
  "id",
  "uriOptions",
  "useMultipleMongoses",
  "observeEvents",
  "ignoreCommandMonitoringEvents",
  "observeSensitiveCommands",
  "serverApi",
  "observeLogMessages",
  "awaitMinPoolSizeMS",
]);

function stringArray(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new SpecFailure(`${what} must be an array of strings`);
  }
  return value;
}

function requireString(doc: Doc, key: string, what: string): string {
  const value = doc[key];
  if (typeof value !== "string") throw new SpecFailure(`${what}.${key} must be a string, got ${show(value)}`);
  return value;
}

function createClient(spec: Doc, uri: string): ClientEntity {
  for (const key of Object.keys(spec)) {
    if (!CLIENT_KEYS.has(key)) throw new SpecSkip(`unsupported client option: ${key}`);
  }
  const id = requireString(spec, "id", "client");
  const observe = new Set(stringArray(spec.observeEvents, "observeEvents"));
  for (const type of observe) {
    if (!COMMAND_EVENT_TYPES.has(type) && !Object.values(CMAP_EVENTS).includes(type)) {
      throw new SpecSkip(`unsupported observed event: ${type}`);
    }
  }
  const options: MongoClientOptions = {
    monitorCommands: [...observe].some((t) => COMMAND_EVENT_TYPES.has(t)),
  };
  if (spec.serverApi !== undefined) {
    if (!isDocument(spec.serverApi)) throw new SpecFailure("serverApi must be a document");
    const api = spec.serverApi;
    options.serverApi = {
      version: String(api.version) as ServerApiVersion,
      strict: api.strict === undefined ? undefined : Boolean(api.strict),
      deprecationErrors: api.deprecationErrors === undefined ? undefined : Boolean(api.deprecationErrors),
    };
  }
  const uriOptions = spec.uriOptions === undefined ? undefined : spec.uriOptions;
  if (uriOptions !== undefined && !isDocument(uriOptions))
    throw new SpecFailure("uriOptions must be a document");
  const client = new MongoClient(withUriOptions(uri, uriOptions), options);
  return new ClientEntity(
    id,
    client,
    observe,
    stringArray(spec.ignoreCommandMonitoringEvents, "ignoreCommandMonitoringEvents"),
    spec.observeSensitiveCommands === true,
  );
}

function toSessionOptions(value: unknown): ClientSessionOptions {
  if (value === undefined) return {};
  if (!isDocument(value)) throw new SpecFailure("sessionOptions must be a document");
  const out: ClientSessionOptions = {};
  for (const [key, option] of Object.entries(value)) {
    if (key === "causalConsistency") out.causalConsistency = Boolean(option);
    else if (key === "snapshot") out.snapshot = Boolean(option);
    else if (key === "defaultTimeoutMS") out.defaultTimeoutMS = Number(option);
    else if (key === "defaultTransactionOptions") {
      if (!isDocument(option)) throw new SpecFailure("defaultTransactionOptions must be a document");
      out.defaultTransactionOptions = toTransactionOptions(option);
    } else throw new SpecSkip(`unsupported session option: ${key}`);
  }
  return out;
}

/** Creates one entity from its `createEntities` definition and stores it in the map. */
export async function createEntity(definition: unknown, map: EntityMap, uri: string): Promise<void> {
  if (!isDocument(definition)) throw new SpecFailure(`invalid entity definition ${show(definition)}`);
  const keys = Object.keys(definition);
  if (keys.length !== 1)
    throw new SpecFailure(`an entity definition needs exactly one key, got ${keys.join(",")}`);
  const type = keys[0]!;
  const spec = definition[type];
  if (!isDocument(spec)) throw new SpecFailure(`invalid ${type} entity ${show(spec)}`);
  const id = requireString(spec, "id", type);
  switch (type) {
    case "client":
      map.add(id, { kind: "client", value: createClient(spec, uri) });
      return;
    case "database": {
      const clientId = requireString(spec, "client", "database");
      const client = map.get(clientId, "client");
      const db = client.client.db(
        requireString(spec, "databaseName", "database"),
        toCollectionOptions(spec.databaseOptions),
      );
      map.add(id, { kind: "database", value: db, clientId });
      return;
    }
    case "collection": {
      const databaseId = requireString(spec, "database", "collection");
      const dbEntity = map.entity(databaseId);
      if (dbEntity.kind !== "database") throw new SpecFailure(`entity "${databaseId}" is not a database`);
      const collection = dbEntity.value.collection(
        requireString(spec, "collectionName", "collection"),
        toCollectionOptions(spec.collectionOptions),
      );
      map.add(id, { kind: "collection", value: collection, clientId: dbEntity.clientId });
      return;
    }
    case "session": {
      const clientId = requireString(spec, "client", "session");
      const client = map.get(clientId, "client");
      const session = client.client.startSession(toSessionOptions(spec.sessionOptions));
      const lsid = session.id;
      if (!lsid) throw new SpecFailure(`session "${id}" has no logical session id`);
      map.add(id, { kind: "session", value: { session, lsid, clientId } });
      return;
    }
    case "bucket": {
      const db = map.get(requireString(spec, "database", "bucket"), "database");
      const options = isDocument(spec.bucketOptions) ? { ...spec.bucketOptions } : {};
      if (options.readPreference !== undefined)
        options.readPreference = toReadPreference(options.readPreference);
      map.add(id, { kind: "bucket", value: new GridFSBucket(db, options as GridFSBucketOptions) });
      return;
    }
    default:
      throw new SpecSkip(`unsupported entity type: ${type}`);
  }
}
