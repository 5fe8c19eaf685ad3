import { errorText } from '../guardedCall.ts';
import type { NobleBindings, NobleLike } from './nobleTypes.ts';

/** Which noble fork to use. `stoprocent` (default) is maintained and has the HCI-over-UART driver. */
export type NobleDriver = 'stoprocent' | 'abandonware';

const packageName: Record<NobleDriver, string> = {
  stoprocent: '@stoprocent/noble',
  abandonware: '@abandonware/noble',
};

export type LoadedNoble =
  | { readonly ok: true; readonly noble: NobleLike }
  | { readonly ok: false; readonly message: string };

/**
 * Import noble lazily. With `bindings`, build `new Noble(bindings)` from the fork's own lib/noble.js (used by tests
 * with fake bindings, and by callers with a custom transport); otherwise the fork picks the platform's bindings.
 * Never throws: a missing package or a machine without a usable adapter gives `{ ok: false, message }`.
 */
export async function loadNoble(driver: NobleDriver, bindings?: NobleBindings): Promise<LoadedNoble> {
  const name = packageName[driver];
  // NOTE: the specifier is a variable so TypeScript does not need noble's (partial) type declarations.
  const specifier: string = bindings === undefined ? name : `${name}/lib/noble.js`;
  try {
    const module: { default?: unknown } = await import(specifier);
    const exported = module.default ?? module;
    if (bindings === undefined) return { ok: true, noble: exported as NobleLike };
    const NobleClass = exported as new (b: NobleBindings) => NobleLike;
    return { ok: true, noble: new NobleClass(bindings) };
  } catch (error) {
    return {
      ok: false,
      message:
        `Bluetooth is not available: loading ${name} failed (${errorText(error)}). ` +
        'Check that this machine has a Bluetooth LE adapter, that node may use it (see docs/ble.md: ' +
        'setcap cap_net_raw+eip on node, bluetoothd stopped), or set BLUETOOTH_HCI_SOCKET_UART_PORT for a UART controller.',
    };
  }
}
