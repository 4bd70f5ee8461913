import type * as tfjs from '@tensorflow/tfjs';

/**
 * The tfjs namespace the callback runs against. Every module takes it as a value instead of
 * importing '@tensorflow/tfjs' itself, so the same code runs with the user's copy of tfjs:
 * '@tensorflow/tfjs' (default), '@tensorflow/tfjs-node(-gpu)' (pass `tf`), or the page's global
 * `tf` in the browser bundle. Only src/index.ts imports tfjs at run time.
 */
export type Tf = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type LayersModel = tfjs.LayersModel;
export type Layer = tfjs.layers.Layer;
export type SymbolicTensor = tfjs.SymbolicTensor;
export type Logs = tfjs.Logs;
