// `pose.js` (served from /web/mediapipe/) defines the global `Pose` class before live.js runs.
import type { Pose as PoseClass } from '@mediapipe/pose';

declare global {
  interface Window {
    Pose?: typeof PoseClass;
  }
}

export {};
