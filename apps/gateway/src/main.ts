import { ArgsError, parseGatewayArgs, USAGE } from './args.ts';
import { startGateway } from './gateway.ts';
import { createLogger } from './logger.ts';
import { BleUnavailableError } from './sources/BleSource.ts';
import { ReplayError } from './sources/ReplaySource.ts';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseGatewayArgs>;
  try {
    parsed = parseGatewayArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ArgsError) {
      console.error(`hipcue-gateway: ${err.message} (see --help)`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const log = createLogger({ level: parsed.logLevel });
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway({ ...parsed.options, log });
  } catch (err) {
    if (err instanceof BleUnavailableError || err instanceof ReplayError) {
      console.error(`hipcue-gateway: ${err.message}`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      console.error(
        `hipcue-gateway: cannot listen on ${parsed.options.host ?? '127.0.0.1'}:${parsed.options.port ?? 8720} (${code})`,
      );
      return 1;
    }
    throw err;
  }
  const src = gateway.session.source;
  console.log(
    `\nhipcue gateway listening on ${gateway.url}  (source: ${src.kind}${src.simulated ? ', SIMULATED sensor' : ''})`,
  );
  console.log('Open one of these links (each holds an access token; keep them private):');
  console.log(`  patient    ${gateway.links.patient}`);
  console.log(`  therapist  ${gateway.links.therapist}`);
  console.log(`  viewer     ${gateway.links.viewer}`);
  console.log(`Foxglove / Lichtblick: ws://${gateway.url.slice('http://'.length)}/?token=${gateway.tokens.viewer}`);
  console.log('Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('shutting down');
  await gateway.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`hipcue-gateway: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
