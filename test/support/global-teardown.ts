import { endGnupgRun } from './gnupg-homes';

export default function globalTeardown(): void {
  endGnupgRun();
}
