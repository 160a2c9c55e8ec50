/** The project's seeded generator (core/random) as a function, so every kill point of the crash harness can be replayed. */
import { Mulberry32 } from '../../../core/random/mulberry32'

export function mulberry32(seed: number): () => number {
  const rng = new Mulberry32(seed)
  return () => rng.next()
}
