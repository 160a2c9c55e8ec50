import * as tf from '@tensorflow/tfjs-core'
import { fastConvCalls } from './conv-kernels'
import { initBackends, runOn, relativeError, randomValues, rng } from '../test-helpers'
await initBackends()
const cases = JSON.parse(process.argv[2])
for (const [n,h,w,cin,cout,k,pad] of cases) {
  const f = () => { const nx = rng(5); const x = tf.tensor4d(randomValues(n*h*w*cin, nx), [n,h,w,cin]); const fl = tf.tensor4d(randomValues(k*k*cin*cout, nx), [k,k,cin,cout]); const b = tf.tensor1d(randomValues(cout,nx));
    const out = tf.fused.conv2d({x, filter: fl, bias: b, activation: 'relu', strides: 1, pad});
    const r = tf.tensor(randomValues(out.size, nx), out.shape)
    const g = tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, c as tf.Tensor4D, 1, pad), r)))
    return [out, ...g([x, fl])] }
  const got = runOn('wasm', f)
  const want = runOn('cpu', f)
  console.log(JSON.stringify(fastConvCalls), n,h,w,cin,cout,k,pad, want.map((wv, i) => relativeError(got[i], wv).toExponential(2)).join(' '))
}
