/**
 * Typed persistent storage keys with defaults; the only place that calls Taro's storage API.
 */
import Taro from "@tarojs/taro";

/** Every stored key and its value type. */
interface StoredValues {
  token: string;
  largeText: boolean;
}

const defaults: StoredValues = { token: "", largeText: false };
const prefix = "govinfo.";

/** Reads a stored value, or its default. */
export function readStored<K extends keyof StoredValues>(key: K): StoredValues[K] {
  try {
    const value = Taro.getStorageSync(prefix + key) as StoredValues[K] | "" | undefined;
    if (value === "" || value === undefined || value === null) return defaults[key];
    return value;
  } catch {
    return defaults[key];
  }
}

/** Writes a stored value. */
export function writeStored<K extends keyof StoredValues>(key: K, value: StoredValues[K]): void {
  try {
    Taro.setStorageSync(prefix + key, value);
  } catch {
    // Storage full or unavailable: the value lives for this session only.
  }
}
