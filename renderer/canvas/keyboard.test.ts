import { describe, expect, it } from 'vitest'
import { attachKeyboard, commandForKey, type EditorCommand, type KeyLike } from './keyboard'

function key(code: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: '', code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false, ...mods }
}

describe('commandForKey', () => {
  it('maps digits to palette slots and letters to tools', () => {
    expect(commandForKey(key('Digit1'), 'down')).toEqual({ type: 'selectClass', slot: 0 })
    expect(commandForKey(key('Numpad9'), 'down')).toEqual({ type: 'selectClass', slot: 8 })
    const modes = ['KeyB', 'KeyE', 'KeyP', 'KeyF', 'KeyL'].map((c) => commandForKey(key(c), 'down'))
    expect(modes).toEqual(['brush', 'eraser', 'polygon', 'fill', 'lasso'].map((mode) => ({ type: 'mode', mode })))
  })

  it('maps brackets to brush size and Ctrl/Cmd combinations to undo, redo and save', () => {
    expect(commandForKey(key('BracketLeft'), 'down')).toEqual({ type: 'brushSize', direction: -1 })
    expect(commandForKey(key('BracketRight'), 'down')).toEqual({ type: 'brushSize', direction: 1 })
    expect(commandForKey(key('KeyZ', { ctrlKey: true }), 'down')).toEqual({ type: 'undo' })
    expect(commandForKey(key('KeyZ', { metaKey: true, shiftKey: true }), 'down')).toEqual({ type: 'redo' })
    expect(commandForKey(key('KeyY', { ctrlKey: true }), 'down')).toEqual({ type: 'redo' })
    expect(commandForKey(key('KeyS', { ctrlKey: true }), 'down')).toEqual({ type: 'save' })
    expect(commandForKey(key('KeyZ'), 'down')).toBeNull()
    expect(commandForKey(key('KeyB', { ctrlKey: true }), 'down')).toBeNull()
  })

  it('turns space into a pan hold on press and release, ignoring auto-repeat', () => {
    expect(commandForKey(key('Space'), 'down')).toEqual({ type: 'panHold', active: true })
    expect(commandForKey(key('Space', { repeat: true }), 'down')).toBeNull()
    expect(commandForKey(key('Space'), 'up')).toEqual({ type: 'panHold', active: false })
    expect(commandForKey(key('KeyB'), 'up')).toBeNull()
  })
})

describe('attachKeyboard', () => {
  it('routes key events to the editor, skips text fields but not sliders, and detaches', () => {
    const target = new EventTarget()
    const got: EditorCommand[] = []
    const detach = attachKeyboard({ runCommand: (c) => got.push(c) }, target)
    const fire = (type: string, code: string, extra: Record<string, unknown> = {}): Event => {
      const ev = Object.assign(new Event(type, { cancelable: true }), { code, key: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false }, extra)
      target.dispatchEvent(ev)
      return ev
    }
    const save = fire('keydown', 'KeyS', { ctrlKey: true })
    expect(save.defaultPrevented).toBe(true)
    fire('keydown', 'KeyQ')
    const input = new EventTarget()
    Object.assign(input, { tagName: 'INPUT' })
    const typed = Object.assign(new Event('keydown'), { code: 'KeyB' })
    Object.defineProperty(typed, 'target', { value: input })
    target.dispatchEvent(typed)
    const slider = new EventTarget()
    Object.assign(slider, { tagName: 'INPUT', type: 'range' })
    const onSlider = Object.assign(new Event('keydown', { cancelable: true }), { code: 'KeyE', key: 'e', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, repeat: false })
    Object.defineProperty(onSlider, 'target', { value: slider })
    target.dispatchEvent(onSlider)
    detach()
    fire('keydown', 'KeyB')
    expect(got).toEqual([{ type: 'save' }, { type: 'mode', mode: 'eraser' }])
  })
})
