/**
 * Paints one aerial-like tile: textured ground, roads, buildings with pitched or flat roofs and their
 * shadows, and a few small vehicles, mostly on the roads. Each class has its own colours and texture so a
 * small model can learn them; vehicles stay rare (well under 1% of pixels).
 */
import type { Rng } from './prng'
import { bezier, distanceToPath, Raster, valueNoise, type PathPoint, type Rgb } from './raster'

/** Class indices of the sample project, in the order of its class list. */
export const GROUND = 0
export const ROAD = 1
export const BUILDING = 2
export const VEHICLE = 3

const GROUND_TONES: readonly (readonly [Rgb, Rgb])[] = [
  [[78, 112, 52], [112, 128, 70]],
  [[96, 118, 60], [140, 130, 88]],
  [[70, 100, 50], [92, 110, 58]],
]
const PITCHED_ROOFS: readonly Rgb[] = [[172, 82, 58], [150, 68, 52], [120, 62, 50], [86, 96, 124]]
const FLAT_ROOF: Rgb = [206, 204, 198]
const VEHICLE_COLOURS: readonly Rgb[] = [[210, 32, 30], [34, 66, 200], [240, 240, 236], [232, 196, 30], [24, 24, 30]]
const WINDSHIELD: Rgb = [44, 50, 62]

interface Road {
  path: PathPoint[]
  width: number
}

function paintGround(r: Raster, rng: Rng): void {
  const [a, b] = rng.pick(GROUND_TONES)
  const patches = valueNoise(rng, r.size, 48)
  const texture = valueNoise(rng, r.size, 6)
  const grain = valueNoise(rng, r.size, 2)
  for (let i = 0; i < r.size * r.size; i++) {
    const m = patches[i]
    const shade = 0.8 + 0.25 * texture[i] + 0.15 * grain[i]
    const colour: Rgb = [a[0] + (b[0] - a[0]) * m, a[1] + (b[1] - a[1]) * m, a[2] + (b[2] - a[2]) * m]
    r.paint(i, colour, shade, GROUND)
  }
}

/** A point on the border of the tile, on side 0..3 (top, right, bottom, left). */
function edgePoint(rng: Rng, size: number, side: number): [number, number] {
  const t = rng.range(0.1, 0.9) * size
  if (side === 0) return [t, -4]
  if (side === 1) return [size + 4, t]
  if (side === 2) return [t, size + 4]
  return [-4, t]
}

function paintRoad(r: Raster, rng: Rng): Road {
  const side = rng.int(0, 3)
  const p0 = edgePoint(rng, r.size, side)
  const p1 = edgePoint(rng, r.size, (side + rng.int(1, 3)) % 4)
  const curved = rng.chance(0.5)
  const c: [number, number] = curved
    ? [rng.range(0.2, 0.8) * r.size, rng.range(0.2, 0.8) * r.size]
    : [(p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2]
  const path = bezier(p0, c, p1, 48)
  const width = rng.range(10, 16)
  const dist = distanceToPath(r.size, path, width)
  const tone = rng.range(108, 126)
  const asphalt: Rgb = [tone, tone, tone + 4]
  for (let i = 0; i < dist.length; i++) {
    const d = dist[i]
    if (d > width / 2) continue
    const edge = d > width / 2 - 1.5 ? 0.88 : 1
    r.paint(i, asphalt, edge * rng.range(0.97, 1.03), ROAD)
  }
  return { path, width }
}

/** Whether the rectangle (with a margin) is all ground, so buildings avoid roads and each other. */
function clear(r: Raster, x0: number, y0: number, w: number, h: number, margin: number): boolean {
  for (let y = y0 - margin; y < y0 + h + margin; y++) {
    for (let x = x0 - margin; x < x0 + w + margin; x++) {
      if (x < 0 || y < 0 || x >= r.size || y >= r.size) continue
      if (r.labels[y * r.size + x] !== GROUND) return false
    }
  }
  return true
}

function paintBuilding(r: Raster, rng: Rng, x0: number, y0: number, w: number, h: number): void {
  const flat = rng.chance(0.35)
  const roof = flat ? FLAT_ROOF : rng.pick(PITCHED_ROOFS)
  const alongX = w >= h
  const offset = rng.int(3, 6)
  // Shadow first (sun from the top left), so the roof then covers its own part of it.
  for (let y = y0 + offset; y < y0 + h + offset; y++) {
    for (let x = x0 + offset; x < x0 + w + offset; x++) {
      if (x < r.size && y < r.size) r.darken(y * r.size + x, 0.55)
    }
  }
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      if (x >= r.size || y >= r.size) continue
      const across = alongX ? y - y0 : x - x0
      const span = alongX ? h : w
      let shade: number
      if (flat) {
        const border = Math.min(x - x0, y - y0, x0 + w - 1 - x, y0 + h - 1 - y) < 2
        shade = border ? 0.8 : 1
      } else {
        // Two slopes lit differently, tile rows as fine stripes, a dark ridge line.
        shade = across < span / 2 ? 1.12 : 0.82
        if (across % 4 < 1) shade *= 0.9
        if (Math.abs(across - (span - 1) / 2) < 0.6) shade *= 0.75
      }
      r.paint(y * r.size + x, roof, shade, BUILDING)
    }
  }
}

function paintBuildings(r: Raster, rng: Rng): void {
  const wanted = rng.int(2, 7)
  let placed = 0
  for (let tries = 0; tries < 60 && placed < wanted; tries++) {
    const w = rng.int(18, 46)
    const h = rng.int(18, 46)
    const x0 = rng.int(0, r.size - w)
    const y0 = rng.int(0, r.size - h)
    if (!clear(r, x0, y0, w, h, 8)) continue
    paintBuilding(r, rng, x0, y0, w, h)
    placed++
  }
}

/** Paints a vehicle centred at (cx, cy) heading along (dx, dy); refuses if it would cover a building or vehicle. */
function paintVehicle(r: Raster, rng: Rng, cx: number, cy: number, dx: number, dy: number, allowed: number): boolean {
  const half = rng.range(4, 5.2)
  const halfWidth = rng.range(2, 2.6)
  const reach = Math.ceil(half) + 1
  const pixels: [number, number][] = []
  for (let y = Math.floor(cy) - reach; y <= Math.ceil(cy) + reach; y++) {
    for (let x = Math.floor(cx) - reach; x <= Math.ceil(cx) + reach; x++) {
      const u = (x - cx) * dx + (y - cy) * dy
      const v = -(x - cx) * dy + (y - cy) * dx
      if (Math.abs(u) > half || Math.abs(v) > halfWidth) continue
      if (x < 0 || y < 0 || x >= r.size || y >= r.size) return false
      if (r.labels[y * r.size + x] !== allowed) return false
      pixels.push([x, y])
    }
  }
  if (pixels.length === 0) return false
  const body = rng.pick(VEHICLE_COLOURS)
  for (const [x, y] of pixels) {
    const u = (x - cx) * dx + (y - cy) * dy
    const windshield = u > half - 3.2 && u < half - 1.6
    r.paint(y * r.size + x, windshield ? WINDSHIELD : body, windshield ? 1 : rng.range(0.95, 1.05), VEHICLE)
  }
  return true
}

function paintVehicles(r: Raster, rng: Rng, roads: readonly Road[], minimum: number): void {
  const wanted = Math.max(minimum, rng.int(0, 6))
  let placed = 0
  for (let tries = 0; tries < 80 && placed < wanted; tries++) {
    if (roads.length > 0 && rng.chance(0.85)) {
      const road = rng.pick(roads)
      const p = road.path[rng.int(4, road.path.length - 5)]
      const lane = (rng.chance(0.5) ? 1 : -1) * road.width * 0.22
      const ok = paintVehicle(r, rng, p.x - p.dy * lane, p.y + p.dx * lane, p.dx, p.dy, ROAD)
      if (ok) placed++
    } else {
      const angle = rng.pick([0, Math.PI / 2])
      const ok = paintVehicle(r, rng, rng.range(8, r.size - 8), rng.range(8, r.size - 8), Math.cos(angle), Math.sin(angle), GROUND)
      if (ok) placed++
    }
  }
}

/** One tile: 8-bit RGB bytes and the true class of every pixel. */
export function paintScene(rng: Rng, size: number, minVehicles: number): { rgb: Uint8Array; labels: Uint8Array } {
  const r = new Raster(size)
  paintGround(r, rng)
  const roadCount = rng.chance(0.4) ? 2 : 1
  const roads: Road[] = []
  for (let k = 0; k < roadCount; k++) roads.push(paintRoad(r, rng))
  paintBuildings(r, rng)
  paintVehicles(r, rng, roads, minVehicles)
  return { rgb: r.toBytes(rng, rng.range(0.9, 1.1), 4), labels: r.labels }
}
