import { describe, expect, it } from 'vitest'
import { percent, pixels, weight } from './format'

describe('balance formatting', () => {
  it('shows shares with the precision their size needs', () => {
    expect(percent(0)).toBe('0%')
    expect(percent(0.867951)).toBe('87%')
    expect(percent(0.0554)).toBe('5.5%')
    expect(percent(0.05)).toBe('5%')
    expect(percent(0.0013312)).toBe('0.13%')
    expect(percent(0.0000412)).toBe('0.0041%')
  })

  it('abbreviates large pixel counts and keeps small ones exact', () => {
    expect(pixels(702)).toBe('702')
    expect(pixels(29217)).toBe('29,217')
    expect(pixels(457709)).toBe('458k')
    expect(pixels(3139143220)).toBe('3139M')
    expect(pixels(2_450_000)).toBe('2.5M')
  })

  it('prints weights with three significant digits and a dash for absent classes', () => {
    expect(weight(0)).toBe('—')
    expect(weight(0.0753022)).toBe('0.0753')
    expect(weight(1)).toBe('1')
    expect(weight(49.0975)).toBe('49.1')
    expect(weight(1234.5)).toBe('1235')
  })
})
