import { describe, expect, it } from 'vitest'
import { TrainConfig } from '../../contract'
import type { ModelSpec } from '../loop/state'
import { prewarmReplicas, ReplicaPool, warmReplicaCount } from './replica-pool'

const config = TrainConfig.parse({ batchSize: 4, tileSize: 32, loss: { name: 'ce', classWeights: 'none' } })
const spec: ModelSpec = { inChannels: 3, numClasses: 3, depth: 3, baseFilters: 8, dropout: 0, batchNorm: false, batchNormMomentum: 0.9, auxBoundaryHead: false }

describe('prewarmed replica threads', () => {
  it('are started ahead, not duplicated, and taken first by the next pool', async () => {
    prewarmReplicas(1, 'wasm')
    prewarmReplicas(1, 'wasm')
    expect(warmReplicaCount()).toBe(1)
    const pool = await ReplicaPool.start({ workers: 2, backend: 'wasm', spec, config, numClasses: 3, classWeights: null })
    expect(warmReplicaCount()).toBe(0)
    expect(pool.workers).toBe(2)
    await pool.close()
  }, 60_000)
})
