import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Central } from '../central.ts';
import type { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';
import type { Logger } from '../logger.ts';
import { createNobleCentral } from '../noble/nobleCentral.ts';
import { openPtyPair, openPtyPort } from './ptyPair.ts';
import { SoftwareHciController } from './softwareHciController.ts';

export interface HciTestbed {
  /** `@stoprocent/noble` through its HCI-over-UART driver, powered on. */
  readonly central: Central;
  readonly controller: SoftwareHciController;
  /** Stop noble, the controller and socat; remove the pty links. */
  close(): Promise<void>;
}

/**
 * Emulated peripherals behind a software HCI controller on a socat pty pair, and noble on the other end via
 * `BLUETOOTH_HCI_SOCKET_UART_PORT` — noble's real HCI/L2CAP/ATT/GATT code with no radio. For tests (here and
 * end-to-end ones in the gateway). One per process: the default noble import is a singleton. Needs `socat`.
 */
export async function startHciTestbed(options: {
  peripherals: readonly EmulatedPeripheral[];
  logger?: Logger;
}): Promise<HciTestbed> {
  const directory = mkdtempSync(join(tmpdir(), 'hipcue-hci-'));
  const pair = await openPtyPair(directory).catch((error: unknown) => {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  });
  const port = openPtyPort(pair.controllerPath);
  const controller = new SoftwareHciController({
    peripherals: options.peripherals,
    write: (bytes) => port.write(bytes),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  port.onData((bytes) => controller.receive(bytes));
  process.env.BLUETOOTH_HCI_SOCKET_UART_PORT = pair.hostPath;
  process.env.BLUETOOTH_HCI_SOCKET_UART_BAUDRATE = '1000000';
  const central = await createNobleCentral({
    driver: 'stoprocent',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const close = async (): Promise<void> => {
    await central.close();
    controller.shutdown();
    port.close();
    await pair.close();
    delete process.env.BLUETOOTH_HCI_SOCKET_UART_PORT;
    delete process.env.BLUETOOTH_HCI_SOCKET_UART_BAUDRATE;
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await central.waitForPoweredOn({ timeoutMs: 5_000 });
  } catch (error) {
    await close();
    throw error;
  }
  return { central, controller, close };
}
