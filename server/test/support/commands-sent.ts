import mongoose from 'mongoose';

/** A command the driver sent: its name (`find`, `update`, ...) and the command as sent. */
export interface SentCommand {
  commandName: string;
  command: Record<string, unknown>;
}

/** `<name> <collection>` of a sent command, e.g. `findAndModify posts`. */
export const named = (e: SentCommand) => `${e.commandName} ${String(e.command[e.commandName])}`;

/** The commands the driver sends while `work` runs (from any request or job of this process). */
export async function commandsSent<T>(work: () => Promise<T>): Promise<{ result: T; sent: SentCommand[] }> {
  const sent: SentCommand[] = [];
  const client = mongoose.connection.getClient();
  const watch = (e: SentCommand) => sent.push({ commandName: e.commandName, command: e.command });
  client.on('commandStarted', watch);
  try {
    return { result: await work(), sent };
  } finally {
    client.off('commandStarted', watch);
  }
}
