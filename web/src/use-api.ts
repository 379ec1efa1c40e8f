/**
 * Loads one API resource for a component: refetched when the URL changes, the previous request
 * aborted so a slow answer never overwrites a newer one. Lists pass `keepPrevious` so a table
 * stays on screen (marked busy) while a new filter loads, instead of flashing empty.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiFailure, apiFetch } from "./api";

export interface Loaded<T> {
  data?: T;
  error?: ApiFailure;
  /** A request is in flight (data, when present, is the previous answer). */
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(url: string | null, options: { keepPrevious?: boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({ loading: url !== null });
  const [generation, setGeneration] = useState(0);
  const reloading = useRef(false);
  const reload = useCallback(() => {
    reloading.current = true;
    setGeneration((g) => g + 1);
  }, []);
  const keep = options.keepPrevious ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger.
  useEffect(() => {
    if (url === null) {
      setState({ loading: false });
      return;
    }
    const controller = new AbortController();
    const keepData = keep || reloading.current;
    reloading.current = false;
    setState((s) => (keepData ? { data: s.data, loading: true } : { loading: true }));
    apiFetch<T>(url, { signal: controller.signal }).then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ApiFailure ? error : new ApiFailure(0, "client", (error as Error).message);
        setState({ error: failure, loading: false });
      },
    );
    return () => controller.abort();
  }, [url, generation, keep]);
  return { ...state, reload };
}
