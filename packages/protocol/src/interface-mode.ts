/** What the frames on the rings are (`memif_interface_mode_t`). */
export const InterfaceMode = {
  Ethernet: 0,
  Ip: 1,
  PuntInject: 2,
} as const;

export type InterfaceMode = (typeof InterfaceMode)[keyof typeof InterfaceMode];

const names: readonly string[] = ['ethernet', 'ip', 'punt/inject'];

/** Names a mode; unknown values are named, never thrown. */
export function interfaceModeToString(mode: number): string {
  return names[mode] ?? `unknown(${mode})`;
}

export function isInterfaceMode(value: number): value is InterfaceMode {
  return value === 0 || value === 1 || value === 2;
}
