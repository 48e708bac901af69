// Shapes of unified-format test files (only the parts this runner reads) and the runner's own result types.
import type { Doc } from "./values.ts";

/** One runOnRequirement object. */
export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: "require" | "forbid" | "allow";
  serverParameters?: Doc;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean | Doc;
}

/** collectionData: initialData and outcome entries. */
export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Doc;
  documents: Doc[];
}

/** expectedError. */
export interface ExpectedError {
  isError?: boolean;
  isClientError?: boolean;
  isTimeoutError?: boolean;
  errorContains?: string;
  errorCode?: number;
  errorCodeName?: string;
  errorLabelsContain?: string[];
  errorLabelsOmit?: string[];
  writeErrors?: Doc;
  writeConcernErrors?: Doc[];
  errorResponse?: Doc;
  expectResult?: unknown;
}

/** An operation of a test (or of a withTransaction callback). */
export interface OperationSpec {
  name: string;
  object: string;
  arguments?: Doc;
  expectError?: ExpectedError;
  expectResult?: unknown;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

/** expectedEventsForClient. */
export interface ExpectedEventsForClient {
  client: string;
  eventType?: "command" | "cmap" | "sdam";
  events: Doc[];
  ignoreExtraEvents?: boolean;
}

/** One test of a file. */
export interface TestSpec {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: OperationSpec[];
  expectEvents?: ExpectedEventsForClient[];
  expectLogMessages?: Doc[];
  expectTracingMessages?: Doc;
  outcome?: CollectionData[];
}

/** A whole test file. */
export interface TestFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: Doc[];
  initialData?: CollectionData[];
  tests: TestSpec[];
}

/** Outcome of one test. */
export type TestStatus = "ok" | "FAIL" | "skip";

/** Result of one test as reported by the runner. */
export interface TestResult {
  file: string;
  description: string;
  status: TestStatus;
  /** Failure or skip reason (one line). */
  reason?: string;
  /** Full failure details (diff, stack) for --verbose. */
  details?: string;
  durationMs: number;
}

/** An assertion that did not hold: the test fails with this message. */
export class SpecFailure extends Error {
  override name = "SpecFailure";
  /** Multi-line details (full diff) for verbose output. */
  details: string | undefined;

  constructor(message: string, details?: string) {
    super(message);
    this.details = details;
  }
}

/** The test cannot run here (unsupported runner feature or a feature the server refuses): it is skipped. */
export class SpecSkip extends Error {
  override name = "SpecSkip";
}
