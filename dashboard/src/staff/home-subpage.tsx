import type { Home } from '@mimamori/contract';
import type { ComponentChildren } from 'preact';
import { call } from '../api.js';
import { Loaded, useLoad } from '../components/common.js';

/** A page about one part of a home (its devices, its network): the way back to the home, the title, the part. */
export function HomeSubpage({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: (home: Home) => ComponentChildren;
}) {
  const home = useLoad(() => call('GET /api/homes/:id', { params: { id } }), [id]);
  return (
    <section class="stack">
      <Loaded data={home.data} error={home.error}>
        {(h) => (
          <>
            <p>
              <a href={`/homes/${h.id}`}>{h.name}</a>
            </p>
            <h1>{title}</h1>
            {children(h)}
          </>
        )}
      </Loaded>
    </section>
  );
}
