/**
 * The Balance view's data: balance:get for the open project, re-read (debounced) whenever the project
 * changes — a mask saved, images imported or deleted, classes renamed, another project opened. The
 * service keeps running totals, so re-asking after every save is cheap.
 */
import { onBeforeUnmount, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { toErrorDto, type ErrorDto, type Output } from '../../../core/contract'
import { useClient } from '../../api'

export type Balance = Output<'balance:get'>

export interface BalanceState {
  balance: ShallowRef<Balance | null>
  error: Ref<ErrorDto | null>
  /** Bumped on every project change, so tables that page through images reload too. */
  changes: Ref<number>
  reload: () => Promise<void>
}

export function useBalance(debounceMs = 150): BalanceState {
  const client = useClient()
  const balance = shallowRef<Balance | null>(null)
  const error = ref<ErrorDto | null>(null)
  const changes = ref(0)
  let seq = 0

  async function reload(): Promise<void> {
    const mine = ++seq
    try {
      const b = await client.invoke('balance:get', {})
      if (mine !== seq) return
      balance.value = b
      error.value = null
    } catch (err) {
      if (mine === seq) error.value = toErrorDto(err)
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  const off = client.on('project:changed', () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      changes.value++
      void reload()
    }, debounceMs)
  })
  onBeforeUnmount(() => {
    off()
    if (timer) clearTimeout(timer)
  })
  void reload()
  return { balance, error, changes, reload }
}
