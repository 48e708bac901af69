// Tests the Node driver itself cannot pass whatever the server does (its own unified runner skips them too).
// Keyed by test description; the value is the skip reason.

const NULL_ID =
  "Node driver limitation: it replaces a null _id with a new ObjectId before sending (NODE-6468)";

/** Test description → reason the Node driver cannot run it. */
export const DRIVER_LIMITATIONS: Readonly<Record<string, string>> = {
  "inserting _id with type null via insertOne": NULL_ID,
  "inserting _id with type null via insertMany": NULL_ID,
  "inserting _id with type null via bulkWrite": NULL_ID,
  "inserting _id with type null via clientBulkWrite": NULL_ID,
};
