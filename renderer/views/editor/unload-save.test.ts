import { describe, expect, it } from 'vitest'
import { UNLABELED } from '../../../core/contract'
import { maskFromDto } from '../../canvas'
import { apiBaseOf, BEACON_LIMIT, beaconSave, saveInput } from './unload-save'

describe('unload save', () => {
  it('encodes the snapshot as the masks:save input that decodes back to the same mask', () => {
    const data = new Uint8Array(6 * 4).fill(UNLABELED)
    data[3] = 1
    data[10] = 0
    const input = saveInput(7, { data, width: 6, height: 4, version: 3 })
    expect(input.imageId).toBe(7)
    expect(input.source).toBe('human')
    expect(maskFromDto({ imageId: 7, width: 6, height: 4, pngBase64: input.pngBase64 })).toEqual(data)
  })

  it('finds the host base from an image URL, with or without a path prefix', () => {
    expect(apiBaseOf('http://127.0.0.1:4000/api/images/3/display', 'http://127.0.0.1:4000/#/editor/3')).toBe('http://127.0.0.1:4000')
    expect(apiBaseOf('/lab/api/images/3/display', 'http://host:1/lab/')).toBe('http://host:1/lab')
  })

  it('sends the JSON body to masks:save as a beacon', async () => {
    const sent: Array<{ url: string; body: Blob }> = []
    const ok = beaconSave('http://h:1', { imageId: 2, pngBase64: 'AAAA', source: 'human' }, (url, body) => {
      sent.push({ url, body })
      return true
    })
    expect(ok).toBe(true)
    expect(sent[0].url).toBe('http://h:1/api/call/masks%3Asave')
    expect(JSON.parse(await sent[0].body.text())).toEqual({ imageId: 2, pngBase64: 'AAAA', source: 'human' })
  })

  it('refuses a body over the beacon limit and reports a refused beacon', () => {
    let calls = 0
    const send = (): boolean => {
      calls++
      return false
    }
    expect(beaconSave('', { imageId: 1, pngBase64: 'A'.repeat(BEACON_LIMIT), source: 'human' }, send)).toBe(false)
    expect(calls).toBe(0)
    expect(beaconSave('', { imageId: 1, pngBase64: 'AAAA', source: 'human' }, send)).toBe(false)
    expect(calls).toBe(1)
  })
})
