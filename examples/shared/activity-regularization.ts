/**
 * Keras's ActivityRegularization layer for tfjs: an identity layer that adds
 * l1 * mean_batch(sum |x|) + l2 * mean_batch(sum x^2) of its input to the training loss.
 *
 * tfjs-layers 4.22 refuses `activityRegularizer` on Dense ("Layer invocation in the presence
 * of activity regularizer(s) is not supported yet"). This does the same through addLoss: the
 * training step calls the loss functions after its forward pass, inside the same gradient
 * scope, so the penalty on the batch's activations trains like Keras's. Penalties are averaged
 * over the batch (TF2 Keras semantics).
 */
import { tf } from './tf.js';

export interface ActivityRegularizationArgs {
  l1?: number;
  l2?: number;
  name?: string;
}

export class ActivityRegularization extends tf.layers.Layer {
  static readonly className = 'ActivityRegularization';
  private readonly l1: number;
  private readonly l2: number;
  /** The input of the current training step's forward pass (never kept outside training). */
  private current: tf.Tensor | null = null;

  constructor(args: ActivityRegularizationArgs = {}) {
    super({ name: args.name });
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    this.addLoss(() => this.penalty());
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.current = kwargs.training ? x : null;
    return tf.clone(x);
  }

  private penalty(): tf.Scalar {
    const x = this.current;
    this.current = null;
    if (!x || x.isDisposed) return tf.scalar(0);
    return tf.tidy(() => {
      const batch = x.shape[0] ?? 1;
      const flat = x.reshape([batch, -1]);
      let total = tf.scalar(0);
      if (this.l1)
        total = total.add(
          flat
            .abs()
            .sum()
            .mul(this.l1 / batch),
        );
      if (this.l2)
        total = total.add(
          flat
            .square()
            .sum()
            .mul(this.l2 / batch),
        );
      return total as tf.Scalar;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}

tf.serialization.registerClass(ActivityRegularization);
