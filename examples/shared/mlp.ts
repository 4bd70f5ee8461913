import { ActivityRegularization } from './activity-regularization.js';
import { CLASSES, IMAGE_SIZE } from './mnist.js';
import { tf } from './tf.js';

/** How the paper's generalization runs vary the network (section 12.1 of the algorithm notes). */
export interface MlpVariant {
  /** Dropout rate after each hidden activation (the paper: 0.5). */
  dropout?: number;
  /** Weight penalties on each hidden Dense (the paper: 1e-4). */
  kernelL1?: number;
  kernelL2?: number;
  /** Penalties on each hidden Dense's output (the paper: 1e-4). */
  activityL1?: number;
  activityL2?: number;
}

export interface MlpOptions extends MlpVariant {
  /** Hidden Dense layers' widths. Default [128, 128, 128] (the paper's). */
  hidden?: number[];
  /** Activation after each hidden Dense. Default LeakyReLU 0.1 (the paper's). */
  activation?: 'leakyRelu' | 'relu';
  /** Seed of the weight initialisers, so runs are comparable. Default 42. */
  seed?: number;
  name?: string;
}

/**
 * The paper's MNIST network: Dense -> activation as a separate layer (so the traced Dense
 * output is pre-activation, as the paper traces it) -> ... -> Dense 10 softmax.
 * Hidden Dense layers are named dense1, dense2, ...; their activations act1, act2, ...
 */
export function buildMlp(options: MlpOptions = {}): tf.Sequential {
  const { hidden = [128, 128, 128], activation = 'leakyRelu', seed = 42 } = options;
  const model = tf.sequential({ name: options.name ?? 'mlp' });
  hidden.forEach((units, i) => {
    const regularizers: Partial<Parameters<typeof tf.layers.dense>[0]> = {};
    if (options.kernelL1 || options.kernelL2) {
      regularizers.kernelRegularizer = tf.regularizers.l1l2({
        l1: options.kernelL1 ?? 0,
        l2: options.kernelL2 ?? 0,
      });
    }
    model.add(
      tf.layers.dense({
        units,
        name: `dense${i + 1}`,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        ...(i === 0 ? { inputShape: [IMAGE_SIZE] } : {}),
        ...regularizers,
      }),
    );
    if (options.activityL1 || options.activityL2) {
      // A separate identity layer: tfjs-layers does not support Dense's activityRegularizer.
      model.add(
        new ActivityRegularization({
          l1: options.activityL1,
          l2: options.activityL2,
          name: `activity${i + 1}`,
        }),
      );
    }
    model.add(
      activation === 'relu'
        ? tf.layers.reLU({ name: `act${i + 1}` })
        : tf.layers.leakyReLU({ alpha: 0.1, name: `act${i + 1}` }),
    );
    if (options.dropout)
      model.add(tf.layers.dropout({ rate: options.dropout, name: `dropout${i + 1}`, seed: seed + 100 + i }));
  });
  model.add(
    tf.layers.dense({
      units: CLASSES,
      activation: 'softmax',
      name: 'output',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 99 }),
    }),
  );
  return model;
}

/** The traced layers of an MLP from buildMlp: its hidden Dense layers (pre-activation). */
export function hiddenDenseNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => /^dense\d+$/.test(l.name)).map((l) => l.name);
}
