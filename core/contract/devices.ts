/**
 * The device report (`labelloop doctor`, `app:devices`, the About/Device panel): every training
 * backend, whether it loads here, its device, an optional short training probe, and for each that
 * does not load the exact reason and the one step that would enable it.
 */
import { z } from 'zod'

/** One training probe: the benchmark U-Net trained for a few seconds on one backend, one thread. */
export const DeviceProbe = z.object({
  size: z.number().int(),
  batch: z.number().int(),
  steps: z.number().int(),
  seconds: z.number(),
  imagesPerSecond: z.number(),
  warmupSeconds: z.number(),
  loss: z.number(),
})

const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])

/** One backend's check. */
export const BackendCheck = z.discriminatedUnion('loads', [
  z.object({ backend: BackendName, loads: z.literal(true), tfName: z.string(), device: z.string(), probes: z.array(DeviceProbe), note: z.string().optional() }),
  z.object({ backend: BackendName, loads: z.literal(false), reason: z.string(), step: z.string() }),
])
export type BackendCheck = z.infer<typeof BackendCheck>

/** The whole report. */
export const DeviceReport = z.object({
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  chosen: BackendName.nullable(),
  backends: z.array(BackendCheck),
  notChecked: z.array(z.object({ backend: z.string(), reason: z.string() })),
})
export type DeviceReport = z.infer<typeof DeviceReport>
