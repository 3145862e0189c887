// The camera and MediaPipe Pose: open the user-facing camera, run pose estimation on each video
// frame, and measure how bright the picture is. Video stays in this page: nothing here sends it.

import type { Pose, Results } from '@mediapipe/pose';

export class CameraError extends Error {
  constructor(
    message: string,
    /** What to tell the person. */
    readonly advice: string,
  ) {
    super(message);
  }
}

/** Opens the user-facing camera into `video` and starts it; resolves once its size is known. */
export async function openCamera(video: HTMLVideoElement): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      'getUserMedia is not available',
      location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1'
        ? 'This browser cannot use the camera. Try an up-to-date Chrome, Safari, Firefox or Edge.'
        : 'The camera only works on a secure (https) address. Ask your clinic for the right link.',
    );
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
    });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new CameraError(
        String(err),
        'We need your camera to count your movements. Allow the camera in your browser settings, then press Start again.',
      );
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      throw new CameraError(String(err), 'We could not find a camera on this device.');
    }
    if (name === 'NotReadableError') {
      throw new CameraError(String(err), 'Another app is using the camera. Close it, then press Start again.');
    }
    throw new CameraError(String(err), 'The camera did not start. Press Start to try again.');
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  if (video.readyState < HTMLMediaElement.HAVE_METADATA) {
    await new Promise<void>((resolve) => video.addEventListener('loadedmetadata', () => resolve(), { once: true }));
  }
  await video.play();
  return stream;
}

export function stopCamera(stream: MediaStream | null, video: HTMLVideoElement): void {
  stream?.getTracks().forEach((t) => t.stop());
  video.srcObject = null;
}

/**
 * Reads the page's `data-mediapipe-files`: MediaPipe's file names → the content-hashed names the
 * build gave them (web/build.mjs). Anything but a JSON object of plain names gives an empty map.
 */
export function parseFileMap(json: string | undefined): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (!json) return map;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return map;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return map;
  for (const [name, hashed] of Object.entries(value)) {
    if (typeof hashed === 'string' && /^[A-Za-z0-9._-]+$/.test(hashed)) map.set(name, hashed);
  }
  return map;
}

/** The model MediaPipe runs: 1 (full) normally, 0 (lite) on a device too slow for it. */
export type ModelComplexity = 0 | 1;

/**
 * Creates MediaPipe Pose from the global that pose.js defines, loading its files from `base`
 * under the hashed names of `files` (a name missing there is asked for as it is).
 */
export function createPose(
  base: string,
  files: ReadonlyMap<string, string>,
  onResults: (r: Results) => void,
  modelComplexity: ModelComplexity = 1,
): Pose {
  const PoseCtor = window.Pose;
  if (typeof PoseCtor !== 'function') {
    throw new CameraError('window.Pose is missing (pose.js did not load)', 'The movement tracker did not load. Reload the page to try again.');
  }
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const pose = new PoseCtor({ locateFile: (file: string) => prefix + (files.get(file) ?? file) });
  pose.setOptions({
    modelComplexity,
    smoothLandmarks: true,
    enableSegmentation: false,
    minDetectionConfidence: 0.5,
    minTrackingConfidence: 0.5,
  });
  pose.onResults(onResults);
  return pose;
}

/**
 * Feeds video frames to Pose one at a time (the next frame only after the last result), until
 * `stop()` is called.
 */
export function runPoseLoop(video: HTMLVideoElement, pose: Pose, onFailure: (err: unknown) => void): () => void {
  let running = true;
  type FrameCallbackVideo = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
  const v = video as FrameCallbackVideo;
  const next = (): void => {
    if (!running) return;
    if (typeof v.requestVideoFrameCallback === 'function') v.requestVideoFrameCallback(tick);
    else requestAnimationFrame(tick);
  };
  const tick = (): void => {
    if (!running) return;
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
      next();
      return;
    }
    pose.send({ image: video }).then(next, (err: unknown) => {
      running = false;
      onFailure(err);
    });
  };
  next();
  return () => {
    running = false;
  };
}

/**
 * Mean brightness of the video (0–255, Rec. 601 luma) from a tiny downscaled copy: cheap enough
 * to run a few times a second. Null if the frame cannot be read.
 */
export class BrightnessMeter {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D | null;

  constructor(width = 32, height = 24) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
  }

  measure(video: HTMLVideoElement): number | null {
    const ctx = this.ctx;
    if (!ctx || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    const { width, height } = this.canvas;
    try {
      ctx.drawImage(video, 0, 0, width, height);
      const data = ctx.getImageData(0, 0, width, height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) {
        sum += 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
      }
      return sum / (width * height);
    } catch {
      return null;
    }
  }
}

/** Below this mean brightness the picture is too dark for reliable tracking. */
export const MIN_BRIGHTNESS = 55;
