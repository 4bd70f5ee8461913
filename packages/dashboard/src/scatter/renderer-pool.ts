import { createRenderer } from 'regl-scatterplot';

/**
 * One WebGL renderer shared by every scatter on the page (browsers cap WebGL contexts at ~16),
 * sized to the largest view rather than the window.
 */

type Renderer = ReturnType<typeof createRenderer>;

let shared: Renderer | null = null;
const views = new Set<HTMLCanvasElement>();

/** The page's renderer, made on first use. */
export function sharedRenderer(): Renderer {
  if (!shared) {
    shared = createRenderer();
    // Registered after the library's own handler, so this size wins.
    window.addEventListener('resize', () => fitRenderer());
  }
  return shared;
}

/** A canvas that draws through the shared renderer: it counts for the renderer's size. */
export function addView(canvas: HTMLCanvasElement): void {
  views.add(canvas);
  fitRenderer();
}

export function removeView(canvas: HTMLCanvasElement): void {
  views.delete(canvas);
  fitRenderer();
}

/**
 * The shared renderer draws into a float framebuffer as large as the window by default, then
 * copies to each view. Sizing it to the largest view instead costs nothing on a GPU and saves
 * most of the per-frame time with software WebGL (a full-window float pass and copy per frame).
 */
export function fitRenderer(): void {
  if (!shared) return;
  let width = 1;
  let height = 1;
  for (const canvas of views) {
    width = Math.max(width, Math.ceil(canvas.clientWidth));
    height = Math.max(height, Math.ceil(canvas.clientHeight));
  }
  shared.resize(width, height);
  shared.refresh();
}

/** Whether the browser can create a WebGL context at all (headless browsers without a GPU may not). */
export function webglAvailable(): boolean {
  try {
    const probe = document.createElement('canvas');
    return Boolean(probe.getContext('webgl2') ?? probe.getContext('webgl'));
  } catch {
    return false;
  }
}
