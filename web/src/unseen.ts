// What the camera cannot see, in plain words: the server's `signal_lost` event names joints
// (snake_case of `physio_motion::skeleton::Joint`); the patient reads body parts and what to do.

/** Each joint the engine can name, as a patient would say it (after "your"). */
const PART: Readonly<Record<string, string>> = {
  head: 'head',
  left_ear: 'left ear',
  right_ear: 'right ear',
  neck: 'neck',
  c7: 'neck',
  mid_spine: 'back',
  pelvis: 'hips',
  left_shoulder: 'left shoulder',
  right_shoulder: 'right shoulder',
  left_elbow: 'left elbow',
  right_elbow: 'right elbow',
  left_wrist: 'left wrist',
  right_wrist: 'right wrist',
  left_hip: 'left hip',
  right_hip: 'right hip',
  left_knee: 'left knee',
  right_knee: 'right knee',
  left_ankle: 'left ankle',
  right_ankle: 'right ankle',
  left_foot: 'left foot',
  right_foot: 'right foot',
};

type Region = 'leg' | 'arm' | 'head' | 'trunk';

function regionOf(joint: string): Region {
  if (/(hip|knee|ankle|foot)$/.test(joint)) return 'leg';
  if (/(shoulder|elbow|wrist)$/.test(joint)) return 'arm';
  if (/^(head|left_ear|right_ear|neck|c7)$/.test(joint)) return 'head';
  return 'trunk';
}

/** "a", "a and b", "a, b and c". */
function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What to do so the camera sees these joints again. */
function advice(joints: readonly string[]): string {
  const regions = new Set(joints.map(regionOf));
  const sides = new Set(joints.map((j) => (j.startsWith('left_') ? 'left' : j.startsWith('right_') ? 'right' : 'middle')));
  const one = regions.size === 1 ? [...regions][0] : null;
  const bothSides = sides.has('left') && sides.has('right');
  if (one === 'leg') return `Step back or turn so ${bothSides ? 'both your legs are' : 'your whole leg is'} in view.`;
  if (one === 'arm') return `Step back or turn so ${bothSides ? 'both your arms are' : 'your whole arm is'} in view.`;
  if (one === 'head') return 'Move so your head and shoulders are in view.';
  return 'Step back so your whole body is in view, about 2 metres from the camera.';
}

/**
 * The message for a `signal_lost` event: which parts the camera cannot see and what to do.
 * With no joints named, the person is not seen at all.
 */
export function unseenMessage(joints: readonly string[]): string {
  const known = joints.filter((j) => typeof j === 'string' && j !== '');
  if (known.length === 0) {
    return "The camera can't see you. Step back into the picture, about 2 metres away, with your whole body in view.";
  }
  const parts: string[] = [];
  for (const j of known) {
    const part = PART[j] ?? j.replace(/_/g, ' ');
    if (!parts.includes(part)) parts.push(part);
  }
  // Past four parts a list stops helping: say it is much of the body.
  const what = parts.length > 4 ? `your ${parts.slice(0, 3).join(', ')} and other parts of your body` : `your ${listInWords(parts)}`;
  return `The camera can't see ${what}. ${advice(known)}`;
}
