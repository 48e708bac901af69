/**
 * Loads data through the api client with loading, error and reload; pages pass the client in.
 */
import type { ApiClient } from "@govinfo/api-client/client";
import { useCallback, useEffect, useState } from "react";

/** State of one load. */
export interface LoadState<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  reload: () => void;
}

/** Runs `load(api)` now and whenever `deps` change. */
export function useLoader<T>(
  api: ApiClient,
  load: (api: ApiClient) => Promise<T>,
  deps: readonly unknown[],
  enabled = true,
): LoadState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [isLoading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's inputs of `load`.
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    let isCurrent = true;
    setLoading(true);
    setError(undefined);
    load(api).then(
      (value) => {
        if (!isCurrent) return;
        setData(value);
        setLoading(false);
      },
      (reason: unknown) => {
        if (!isCurrent) return;
        setError(reason);
        setLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, enabled, tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, isLoading, reload };
}

/** Cursor pages with "load more" (infinite scroll). */
export function usePages<T>(
  api: ApiClient,
  load: (api: ApiClient, cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: readonly unknown[],
  enabled = true,
): LoadState<T[]> & { hasMore: boolean; loadMore: () => void; isLoadingMore: boolean } {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const first = useLoader(
    api,
    async (client) => {
      const page = await load(client, undefined);
      setItems(page.items);
      setCursor(page.nextCursor);
      return page.items;
    },
    deps,
    enabled,
  );
  const loadMore = useCallback(() => {
    if (!cursor || isLoadingMore) return;
    setLoadingMore(true);
    load(api, cursor).then(
      (page) => {
        setItems((old) => [...old, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      () => setLoadingMore(false),
    );
  }, [api, cursor, isLoadingMore, load]);
  return {
    ...first,
    data: first.data === undefined ? undefined : items,
    hasMore: cursor !== null,
    loadMore,
    isLoadingMore,
  };
}
