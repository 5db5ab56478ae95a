// Modules generated at bundle time by test/browser/kernels-bundle.mjs.
declare module "virtual:fixtures" {
  export const seq: any;
  export const lti: any;
}
declare module "virtual:lti-kernels" {
  import type * as tf from "@tensorflow/tfjs";
  type T = tf.Tensor | number[] | number[][] | Float32Array;
  export const ssmKernel: ((Ab: T, Bb: T, C: T, L: number) => tf.Tensor) | undefined;
  export const ssmRecurrent: ((Ab: T, Bb: T, C: T, u: T) => tf.Tensor) | undefined;
  export const causalConv: ((u: T, K: T) => tf.Tensor) | undefined;
  export const causalConvFFT: ((u: T, K: T) => tf.Tensor) | undefined;
  export const causalConvDirect: ((u: T, K: T) => tf.Tensor) | undefined;
  export const expm: ((A: T) => tf.Tensor) | undefined;
  export const discretize: ((A: T, B: T, delta: number, method?: any) => {Ab: tf.Tensor; Bb: tf.Tensor}) | undefined;
}
