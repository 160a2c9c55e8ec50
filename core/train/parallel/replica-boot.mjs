// Starts replica-worker.ts in a worker thread when LabelLoop runs from source (tsx): worker threads do not
// inherit tsx's loader when their parent was started without it (Vitest), so it is registered here first.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
