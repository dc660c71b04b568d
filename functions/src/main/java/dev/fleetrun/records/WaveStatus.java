package dev.fleetrun.records;

/** Where a wave stands. Only {@link #PLANNED} waves are ever marked {@link #NOT_RUN}. */
public enum WaveStatus {
    /** Planned, not sent yet. */
    PLANNED,
    /** SendWave registered a task token (and sends, or has sent, its batches). */
    SENT,
    /** Its current task token was completed (see {@link RunStore#claimWaveCompletion}). */
    COMPLETED,
    /** Never sent: the run breached, failed or was stopped first. */
    NOT_RUN
}
