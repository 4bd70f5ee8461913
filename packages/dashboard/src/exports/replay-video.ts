import type { ScatterInput, ScatterView } from '../scatter/scatter-view.js';

/**
 * The replay as a WebM video: the view as the user sees it (camera, colouring), slices 0..s
 * drawn one after another ("up to slice" mode), one video frame per slice with the epoch and
 * slice burned in. Recorded from a 2D canvas with MediaRecorder; each frame is requested by
 * hand (captureStream(0) + requestFrame), so there is exactly one per slice.
 */

/** How long each slice shows in the video. */
export const FRAME_MS = 120;

export function videoSupported(): boolean {
  return typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported('video/webm');
}

export async function recordReplay(
  scatter: ScatterView,
  base: Omit<ScatterInput, 'slice' | 'scrubMode'>,
  label: (slice: number) => string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<Blob> {
  const slices = base.embedding.slices;
  const source = scatter.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext('2d')!;
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  const type = MediaRecorder.isTypeSupported('video/webm;codecs=vp8')
    ? 'video/webm;codecs=vp8'
    : 'video/webm';
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  recorder.start();
  const scale = source.width / Math.max(1, source.clientWidth);
  try {
    for (let s = 0; s < slices; s++) {
      await scatter.drawNow({ ...base, scrubMode: 'upto', slice: s });
      ctx.fillStyle = '#14161a';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(source, 0, 0);
      burnLabel(ctx, label(s), scale);
      track.requestFrame();
      onProgress(s + 1, slices);
      await new Promise((r) => setTimeout(r, FRAME_MS));
    }
  } finally {
    recorder.stop();
    await stopped;
    for (const t of stream.getTracks()) t.stop();
  }
  return new Blob(chunks, { type: 'video/webm' });
}

function burnLabel(ctx: CanvasRenderingContext2D, text: string, scale: number): void {
  const size = Math.round(16 * scale);
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  const pad = Math.round(8 * scale);
  const width = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(pad, pad, width + 2 * pad, size + pad);
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'top';
  ctx.fillText(text, 2 * pad, pad + pad / 2);
}
