package dev.fleetrun.records;

import java.time.Instant;

/**
 * The answer to "may this SendWave attempt send this batch?".
 *
 * @param batch              the batch after the claim (instance ids, command id if sent)
 * @param previousAttemptId  with {@link Outcome#IN_DOUBT}: the attempt that claimed it before
 * @param previousClaimedAt  with {@link Outcome#IN_DOUBT}: when it did
 */
public record BatchClaim(Outcome outcome, BatchRecord batch, String previousAttemptId, Instant previousClaimedAt) {

    public enum Outcome {
        /** The batch is this attempt's to send; nobody sent it. */
        CLAIMED,
        /** A command was already sent for it ({@link #commandId()}): send nothing. */
        ALREADY_SENT,
        /**
         * An earlier attempt claimed it and recorded no command: it may have called SendCommand and
         * died before recording. The claim is now this attempt's, but the caller must look for that
         * command in SSM (ListCommands, by the comment that names run, wave and batch) and record it
         * if found, before sending again. (This assumes attempts follow each other, as Lambda retries
         * do: an attempt that is still running when the next one claims can still send.)
         */
        IN_DOUBT
    }

    public String commandId() {
        return batch.commandId();
    }
}
