import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A search box whose query lives in the address under `key` (reload and Back keep it): the box answers at once,
 * the address follows 250 ms after typing stops (replacing its entry, so Back skips the letters), and a changed
 * address (Back, a link) refills the box. `also` names other parameters a new search clears (the page walked).
 */
export function useUrlSearch(key = 'q', also: string[] = []) {
  const [params, setParams] = useSearchParams();
  const inUrl = params.get(key) ?? '';
  const [search, setSearch] = useState(inUrl);
  const [typed] = useDebouncedValue(search.trim(), 250);
  useEffect(() => {
    if (typed === inUrl) return;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (typed) next.set(key, typed);
        else next.delete(key);
        for (const k of also) next.delete(k);
        return next;
      },
      { replace: true },
    );
  }, [typed]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (inUrl !== search.trim()) setSearch(inUrl);
  }, [inUrl]); // eslint-disable-line react-hooks/exhaustive-deps
  return { search, setSearch, query: inUrl };
}
