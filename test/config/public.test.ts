import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "@govinfo/config/env";
import { toPublicConfig } from "@govinfo/config/public";

test("the public subset carries no secrets or server paths", () => {
  const result = parseConfig({
    MONGODB_URI: "mongodb://app:secret@db/govinfo",
    DATA_KEY: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    PUBLIC_BASE_URL: "https://gk.example.gov.cn",
  });
  assert.ok(result.ok);
  assert.deepEqual(toPublicConfig(result.config), {
    apiBasePath: "/api",
    publicBaseUrl: "https://gk.example.gov.cn",
  });
});
