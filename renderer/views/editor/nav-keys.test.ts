import { describe, expect, it } from 'vitest'
import { navDirection } from './nav-keys'

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
})

describe('navDirection', () => {
  it('maps PageUp / PageDown and Alt+arrows to previous / next', () => {
    expect(navDirection(key('PageDown'))).toBe('next')
    expect(navDirection(key('PageUp'))).toBe('prev')
    expect(navDirection(key('ArrowRight', { altKey: true }))).toBe('next')
    expect(navDirection(key('ArrowLeft', { altKey: true }))).toBe('prev')
  })

  it('leaves plain arrows and modified keys alone', () => {
    expect(navDirection(key('ArrowRight'))).toBeNull()
    expect(navDirection(key('PageDown', { ctrlKey: true }))).toBeNull()
    expect(navDirection(key('ArrowLeft', { altKey: true, shiftKey: true }))).toBeNull()
    expect(navDirection(key('b'))).toBeNull()
  })
})
