/** Pages that listen to the keyboard register their listener here, to drop it on leaving. */
let cleanup: (() => void) | undefined;

export function onLeave(stop: () => void): void {
  cleanup = stop;
}

export function leave(): void {
  cleanup?.();
  cleanup = undefined;
}
