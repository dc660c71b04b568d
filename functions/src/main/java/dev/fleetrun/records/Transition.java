package dev.fleetrun.records;

/**
 * What {@link RunStore#recordNodeStatus} did, and where the node's wave stands afterwards: the wave
 * item as read (strongly consistent) after the update, so that a caller can decide whether the wave
 * is complete and which task token waits on it without reading it again.
 *
 * <p>The wave is not read (null) when the update recorded a final status that cannot have completed
 * the wave: the store knew the wave's size, and the wave still had another node to go after this one
 * (its counter's condition said so). That spares the listener a read per node; the one update that
 * makes the wave complete always comes with the wave.
 *
 * @param applied false when the update was stale or a duplicate (the node already had a status of
 *                the same or a higher rank) and nothing was written
 * @param wave    the node's wave, read after the update, or null (see above)
 */
public record Transition(boolean applied, WaveRecord wave) {

    public static Transition applied(WaveRecord wave) {
        return new Transition(true, wave);
    }

    public static Transition unchanged(WaveRecord wave) {
        return new Transition(false, wave);
    }

    /** An applied final status that left at least one node of its wave to go; the wave was not read. */
    public static Transition appliedWaveIncomplete() {
        return new Transition(true, null);
    }

    /** Nodes of the wave with a terminal status, after the update. */
    public int waveDone() {
        return read().done();
    }

    public int waveSize() {
        return read().size();
    }

    /** Every node of the wave has a terminal status (false when the wave was not read: it is not complete). */
    public boolean waveComplete() {
        return wave != null && wave.complete();
    }

    private WaveRecord read() {
        if (wave == null) {
            throw new IllegalStateException("the wave was not read: this update left it incomplete");
        }
        return wave;
    }
}
