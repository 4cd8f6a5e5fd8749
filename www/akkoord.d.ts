// Type declarations for the Akkoord banner's page API (`window.akkoord`) and its events.
// Copy next to your code or reference with: /// <reference path="/akkoord/akkoord.d.ts" />

export interface AkkoordConsent {
  /** Random id of this decision; the receipt on the server carries the same id. */
  id: string;
  /** The config `revision` the visitor decided on. */
  revision: number;
  /** Decision time, ISO 8601 (UTC). */
  decidedAt: string;
  method: 'accept-all' | 'reject-all' | 'custom' | 'gpc';
  /** Whether a Global Privacy Control signal applies on this page (the browser sends it and
   * the config honours it). The decision itself may be an explicit opt-in that overrides it. */
  gpc: boolean;
  /** Every configured purpose: granted or not (`necessary` is always true). */
  purposes: Record<string, boolean>;
  /** Every configured service: allowed or not (by its purpose or on its own). */
  services: Record<string, boolean>;
}

export interface Akkoord {
  /** Whether a purpose is granted. `necessary` is true once the banner is ready; every other
   * purpose is false until a decision, and everything is false before the banner is ready or
   * when its config is broken (fail closed). */
  accepted(purpose: string): boolean;
  /** Whether a configured service may run: by its purpose or granted on its own. */
  acceptedService(id: string): boolean;
  /** Show the first layer. */
  show(): void;
  /** Open the preferences with the stored choice (the withdrawal path). */
  showPreferences(): void;
  acceptAll(): void;
  rejectAll(): void;
  /** Save a choice; purposes not named are denied. Service ids may be named too. */
  save(choices: Record<string, boolean>): void;
  /** Forget the decision: withdraw everything granted and ask again. */
  reset(): void;
  /** The decision in force, or null. */
  consent(): AkkoordConsent | null;
  /**
   * Advanced matching for a logged-in visitor: normalised and SHA-256 hashed at once; only
   * the hashes reach pixels whose service has `"matching": true`, and only once their
   * purpose is granted. `phone` must be international (`+31 6 12345678`). Call it on every
   * page (right after the script tag is best); an empty object forgets the identity.
   */
  identify(person: { email?: string; phone?: string }): void;
}

declare global {
  interface Window {
    akkoord: Akkoord;
  }
  interface DocumentEventMap {
    /** Fired once the banner has read its config; detail is the decision or null. */
    'akkoord:ready': CustomEvent<AkkoordConsent | null>;
    /** Fired after every decision; detail is the new decision (null after reset()). */
    'akkoord:change': CustomEvent<AkkoordConsent | null>;
  }
}
