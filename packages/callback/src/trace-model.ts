import type { LayerInfo } from '@mphate/protocol';
import type { Layer, LayersModel, SymbolicTensor, Tensor, Tf } from './tf-types.js';
import { selectUnits } from './units.js';

/** Which layers to trace: their names, or a predicate over the model's layers. */
export type LayerSelection = readonly string[] | ((layer: Layer, index: number) => boolean);

export interface TraceModelOptions {
  layers?: LayerSelection;
  maxUnitsPerLayer?: number;
  preActivation?: boolean;
  seed?: number;
}

interface Traced {
  layer: Layer;
  output: SymbolicTensor;
  /** Axis holding the units (channels); every other non-batch axis is averaged. */
  unitAxis: number;
  rank: number;
  keep: number[] | null;
  /** True when the layer's fused activation is switched to linear while sampling. */
  preActivation: boolean;
}

/** Layers that have weights but no units in M-PHATE's sense. */
const NOT_UNITS = /Normalization$/;

/** An activation object applied by the layer itself (Dense, Conv*), not by a separate layer. */
function fusedActivation(layer: Layer): { getClassName(): string } | null {
  if (layer.getClassName() === 'Activation' || layer.weights.length === 0) return null;
  // An own property: recurrent layers expose `activation` as a getter of their cell, which we leave alone.
  if (!Object.hasOwn(layer, 'activation')) return null;
  const activation = (layer as unknown as { activation: { getClassName(): string } | null }).activation;
  return activation && activation.getClassName() !== 'linear' ? activation : null;
}

function layerOutput(layer: Layer): SymbolicTensor | SymbolicTensor[] {
  try {
    return layer.output as SymbolicTensor | SymbolicTensor[];
  } catch {
    // A layer applied more than once (shared weights) has no single `output`: take its first use.
    return layer.getOutputAt(0) as SymbolicTensor | SymbolicTensor[];
  }
}

/**
 * The probe batch's path through the user's model: one multi-output tf.model from model.inputs to
 * the traced layers' outputs, built once. `sample()` runs it inside tf.tidy and reads the result
 * back as one units x samples float32 array (unit-major).
 *
 * Pre-activation: for a layer with a fused activation (Dense/Conv with activation != linear) the
 * layer's `activation` field is swapped for tfjs' own Linear activation for the duration of the
 * synchronous predict call and restored in `finally`. Layers read that field at call time, so the
 * traced output is the linear output xW + b computed by the layer's own kernel (same weights, same
 * padding/strides/dilation) without copying weights or rebuilding layers. predict() is synchronous,
 * so no other code (training included) can run while the swap is in place.
 */
export class TraceModel {
  readonly layers: LayerInfo[];
  readonly units: number;
  readonly samples: number;
  private readonly traced: Traced[];
  private readonly multi: LayersModel;
  private readonly linear: unknown;

  constructor(
    private readonly tf: Tf,
    model: LayersModel,
    private readonly probe: Tensor[],
    options: TraceModelOptions = {},
  ) {
    const maxUnits = options.maxUnitsPerLayer ?? 256;
    const seed = options.seed ?? 0;
    const preActivation = options.preActivation ?? true;
    this.samples = probe[0]!.shape[0]!;
    this.traced = selectLayers(model, options.layers).map((layer) => {
      const output = layerOutput(layer);
      if (Array.isArray(output)) {
        throw new Error(
          `layer '${layer.name}' (${layer.getClassName()}) has ${output.length} outputs; M-PHATE traces layers whose output is one tensor of rank >= 2 (for a recurrent layer, set returnState: false or pick another layer)`,
        );
      }
      const rank = output.shape.length;
      if (rank < 2) {
        throw new Error(
          `layer '${layer.name}' (${layer.getClassName()}) outputs a tensor of rank ${rank}; M-PHATE needs rank >= 2 (batch x units ...): leave it out of 'layers'`,
        );
      }
      const dataFormat = (layer as unknown as { dataFormat?: string }).dataFormat;
      const unitAxis = rank > 2 && dataFormat === 'channelsFirst' ? 1 : rank - 1;
      const total = output.shape[unitAxis];
      if (total === null || total === undefined) {
        throw new Error(
          `layer '${layer.name}' has an unknown number of units (shape ${JSON.stringify(output.shape)})`,
        );
      }
      return {
        layer,
        output,
        unitAxis,
        rank,
        keep: selectUnits(total, maxUnits, seed, layer.name),
        preActivation: preActivation && fusedActivation(layer) !== null,
      };
    });
    this.layers = this.traced.map(({ layer, output, unitAxis, keep }) => {
      const totalUnits = output.shape[unitAxis] as number;
      const info: LayerInfo = {
        name: layer.name,
        className: layer.getClassName(),
        units: keep ? keep.length : totalUnits,
        totalUnits,
      };
      if (keep) info.keptUnits = keep;
      return info;
    });
    this.units = this.layers.reduce((sum, l) => sum + l.units, 0);
    // A sub-model over the same layers: no weights are copied and the user's model is unchanged.
    this.multi = tf.model({ inputs: model.inputs, outputs: this.traced.map((t) => t.output) });
    // tfjs' Linear activation object, borrowed from a layer we never use (explicit name: no name counter moves).
    this.linear = (
      tf.layers.dense({ units: 1, name: 'mphate_linear_activation' }) as unknown as { activation: unknown }
    ).activation;
  }

  /** Runs the probe batch once: units x samples float32, unit-major, layers in `layers` order. */
  async sample(): Promise<Float32Array> {
    const { tf } = this;
    const result = tf.tidy(() => {
      const outputs = this.predict();
      const parts = outputs.map((y, i) => {
        const t = this.traced[i]!;
        let perUnit = y;
        if (t.rank > 2) {
          const axes: number[] = [];
          for (let a = 1; a < t.rank; a++) if (a !== t.unitAxis) axes.push(a);
          perUnit = tf.mean(y, axes); // samples x units
        }
        return t.keep ? tf.gather(perUnit, t.keep, 1) : perUnit;
      });
      const all = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
      return tf.transpose(tf.cast(all, 'float32')); // units x samples
    });
    try {
      const data = await result.data();
      return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    } finally {
      result.dispose();
    }
  }

  private predict(): Tensor[] {
    const swapped: { layer: { activation: unknown }; activation: unknown }[] = [];
    try {
      for (const t of this.traced) {
        if (!t.preActivation) continue;
        const layer = t.layer as unknown as { activation: unknown };
        swapped.push({ layer, activation: layer.activation });
        layer.activation = this.linear;
      }
      const input = this.probe.length === 1 ? this.probe[0]! : this.probe;
      const out = this.multi.predict(input, { batchSize: Math.min(this.samples, 512) });
      return Array.isArray(out) ? out : [out];
    } finally {
      for (const s of swapped) s.layer.activation = s.activation;
    }
  }
}

/** The layers to trace, in model order. Throws naming unknown layers or an empty selection. */
export function selectLayers(model: LayersModel, selection: LayerSelection | undefined): Layer[] {
  const layers = model.layers;
  let chosen: Layer[];
  if (typeof selection === 'function') {
    chosen = layers.filter((layer, i) => selection(layer, i));
  } else if (selection !== undefined) {
    if (!Array.isArray(selection))
      throw new Error("'layers' must be an array of layer names or a predicate function");
    const byName = new Map(layers.map((l) => [l.name, l]));
    const unknown = selection.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      throw new Error(
        `unknown layer name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} in 'layers'; the model's layers are: ${layers.map((l) => l.name).join(', ')}`,
      );
    }
    const wanted = new Set(selection);
    chosen = layers.filter((l) => wanted.has(l.name));
  } else {
    const outputLayers = new Set(model.outputs.map((o) => o.sourceLayer));
    chosen = layers.filter(
      (l) =>
        l.weights.length > 0 &&
        !outputLayers.has(l) &&
        l.getClassName() !== 'InputLayer' &&
        !NOT_UNITS.test(l.getClassName()),
    );
    if (chosen.length === 0) {
      throw new Error(
        "the model has no hidden layer with weights to trace (the output layer is left out by default): pass 'layers' with the names to trace",
      );
    }
  }
  if (chosen.length === 0)
    throw new Error("'layers' selects no layer of the model: pass at least one layer name");
  return chosen;
}
