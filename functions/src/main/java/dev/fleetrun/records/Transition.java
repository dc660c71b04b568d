package dev.fleetrun.records;

/**
 * What {@link RunStore#recordNodeStatus} did, and where the node's wave stands afterwards.
 *
 * @param applied   false when the update was stale or a duplicate (the node already had a status of
 *                  the same or a higher rank) and nothing was written
 * @param waveDone  nodes of the wave with a terminal status, read after the update
 * @param waveSize  nodes in the wave
 */
public record Transition(boolean applied, int waveDone, int waveSize) {

    public static Transition applied(int waveDone, int waveSize) {
        return new Transition(true, waveDone, waveSize);
    }

    public static Transition unchanged(int waveDone, int waveSize) {
        return new Transition(false, waveDone, waveSize);
    }

    /** Every node of the wave has a terminal status. */
    public boolean waveComplete() {
        return waveDone >= waveSize;
    }
}
