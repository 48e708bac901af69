/**
 * The product version, taken from the root package.json so that releases bump it in one place.
 */
import rootPackage from "../package.json" with { type: "json" };

/** The version of the platform (root package.json `version`). */
export const version: string = rootPackage.version;
