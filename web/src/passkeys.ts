// Passkeys in the browser (docs/two-step.md): signing in with a passkey instead of a password
// on /login, the passkey second step on /login/two-step, and adding a passkey on
// /account/passkeys. The server sends WebAuthn options as JSON with binary fields in base64url
// and takes the browser's answer the same way; this file converts between the two. Buttons stay
// hidden until we know the browser has WebAuthn, so a page without it shows only what works.

type Json = Record<string, unknown>;

function fromB64url(s: string): ArrayBuffer {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

function toB64url(buf: ArrayBuffer | null): string | null {
  if (!buf) return null;
  const bytes = new Uint8Array(buf);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function withIds(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((c: Json) => ({ ...c, id: fromB64url(c.id as string) }));
}

function creationOptions(options: Json): CredentialCreationOptions {
  const pk = options.publicKey as Json;
  const user = pk.user as Json;
  return {
    publicKey: {
      ...(pk as object),
      challenge: fromB64url(pk.challenge as string),
      user: { ...(user as object), id: fromB64url(user.id as string) },
      excludeCredentials: withIds(pk.excludeCredentials),
    } as PublicKeyCredentialCreationOptions,
  };
}

function requestOptions(options: Json): CredentialRequestOptions {
  const pk = options.publicKey as Json;
  return {
    publicKey: {
      ...(pk as object),
      challenge: fromB64url(pk.challenge as string),
      allowCredentials: withIds(pk.allowCredentials) ?? [],
    } as PublicKeyCredentialRequestOptions,
  };
}

function registrationJson(cred: PublicKeyCredential): Json {
  const r = cred.response as AuthenticatorAttestationResponse;
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    response: {
      attestationObject: toB64url(r.attestationObject),
      clientDataJSON: toB64url(r.clientDataJSON),
    },
    extensions: {},
  };
}

function assertionJson(cred: PublicKeyCredential): Json {
  const r = cred.response as AuthenticatorAssertionResponse;
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    response: {
      authenticatorData: toB64url(r.authenticatorData),
      clientDataJSON: toB64url(r.clientDataJSON),
      signature: toB64url(r.signature),
      userHandle: toB64url(r.userHandle),
    },
    extensions: {},
  };
}

function csrfToken(): string {
  const input = document.querySelector<HTMLInputElement>('input[name="csrf_token"]');
  return input?.value ?? '';
}

async function post(path: string, body: Json | null): Promise<Json> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify(body ?? {}),
  });
  const json = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) {
    const message = ((json.error as Json | undefined)?.message as string) ?? 'it did not work';
    throw new Error(message);
  }
  return json;
}

function say(text: string): void {
  const status = document.getElementById('passkey-status');
  if (status) status.textContent = text;
}

function sentence(message: string): string {
  const m = message.charAt(0).toUpperCase() + message.slice(1);
  return m.endsWith('.') ? m : `${m}.`;
}

/** What went wrong, in plain words: the user closing the browser's dialog is not an error. */
function explain(e: unknown): string {
  if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'AbortError')) {
    return 'The passkey was not used. You can try again.';
  }
  return sentence(e instanceof Error ? e.message : String(e));
}

/** Signs in with a passkey: `base` is the API path of the ceremony. */
async function signIn(base: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  say('Waiting for your passkey…');
  try {
    const start = await post(`${base}/options`, null);
    const cred = (await navigator.credentials.get(
      requestOptions(start.options as Json),
    )) as PublicKeyCredential | null;
    if (!cred) throw new DOMException('no passkey', 'NotAllowedError');
    await post(base, { ceremony: start.ceremony, credential: assertionJson(cred) });
    say('Signed in. Opening your start page…');
    window.location.assign('/');
  } catch (e) {
    say(explain(e));
    button.disabled = false;
  }
}

async function register(form: HTMLFormElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  say('Follow your browser to create the passkey…');
  try {
    const name = (form.querySelector<HTMLInputElement>('#passkey-name')?.value ?? '').trim();
    const start = await post('/api/v1/account/passkeys/options', null);
    const cred = (await navigator.credentials.create(
      creationOptions(start.options as Json),
    )) as PublicKeyCredential | null;
    if (!cred) throw new DOMException('no passkey', 'NotAllowedError');
    await post('/api/v1/account/passkeys', {
      ceremony: start.ceremony,
      name,
      credential: registrationJson(cred),
    });
    say('Passkey added.');
    window.location.reload();
  } catch (e) {
    say(explain(e));
    button.disabled = false;
  }
}

function main(): void {
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  const signInButton = document.getElementById('passkey-sign-in') as HTMLButtonElement | null;
  const section = document.getElementById('passkey-sign-in-section');
  if (signInButton && section) {
    section.hidden = false;
    signInButton.addEventListener('click', () => void signIn('/api/v1/auth/passkey', signInButton));
  }
  const stepButton = document.getElementById('passkey-second-step') as HTMLButtonElement | null;
  if (stepButton) {
    stepButton.hidden = false;
    stepButton.addEventListener(
      'click',
      () => void signIn('/api/v1/auth/second-step/passkey', stepButton),
    );
  }
  const form = document.getElementById('passkey-add-form') as HTMLFormElement | null;
  const addButton = document.getElementById('passkey-add') as HTMLButtonElement | null;
  if (form && addButton) {
    addButton.hidden = false;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void register(form, addButton);
    });
  }
}

main();
