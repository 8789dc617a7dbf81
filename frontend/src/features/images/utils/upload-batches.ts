import { ApiError, errorMessage } from "@/lib/api/errors";

export type Refused = { name: string; reason: string };
export type UploadOutcome<T> = { added: T[]; refused: Refused[] };
type Send<T> = (batch: File[], onProgress: (fraction: number) => void) => Promise<T[]>;

/** Files in requests of at most `batchSize` files (the server takes a request's files all or
 * none): a refused request is sent again one file at a time, so that each bad file is reported
 * with its reason and the good ones are kept. A refusal that holds for every file (signed out,
 * no permission) stops the upload. `onProgress`: the fraction of all bytes sent. */
export async function uploadInBatches<T>(files: readonly File[], send: Send<T>, onProgress: (fraction: number) => void = () => {}, batchSize = 20): Promise<UploadOutcome<T>> {
  const outcome: UploadOutcome<T> = { added: [], refused: [] };
  const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
  let sent = 0;
  const attempt = async (batch: File[], retryAlone: boolean): Promise<void> => {
    const bytes = batch.reduce((sum, f) => sum + f.size, 0);
    try {
      outcome.added.push(...(await send(batch, (fraction) => onProgress(Math.min(1, (sent + fraction * bytes) / total)))));
      sent += bytes;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
      const perFile = error instanceof ApiError && error.status < 500;
      if (perFile && retryAlone && batch.length > 1) {
        for (const file of batch) await attempt([file], false);
        return;
      }
      sent += bytes;
      const reason = errorMessage(error);
      outcome.refused.push(...batch.map((file) => ({ name: file.name, reason })));
    }
    onProgress(Math.min(1, sent / total));
  };
  for (let start = 0; start < files.length; start += batchSize) {
    await attempt(files.slice(start, start + batchSize), true);
  }
  return outcome;
}
