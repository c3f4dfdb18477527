import { startGnupgRun } from './gnupg-homes';

export default function globalSetup(): void {
  startGnupgRun();
}
