/**
 * Import first in code running in a browser or WeChat. zod compiles validators with `Function` when
 * it may, probing once as schemas are built; our Content-Security-Policy (and WeChat itself) forbids
 * that, and the refused probe shows up as a policy violation. Imported before any schema module, this
 * makes zod validate by interpretation only, so it never probes.
 */
import { z } from "zod";

z.config({ jitless: true });
