package dev.fleetrun.local.sfn.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * An {@link EngineClock} seen as a {@link java.time.Clock}, so that the runtime's AWS services (which take a
 * {@code java.time.Clock} for their timestamps) tell the same time as the engine, virtual or scaled.
 */
public final class JavaClock extends Clock {
    private final EngineClock clock;
    private final ZoneId zone;

    private JavaClock(EngineClock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** {@code clock} as a UTC {@link java.time.Clock}. */
    public static Clock of(EngineClock clock) {
        return new JavaClock(clock, ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new JavaClock(clock, newZone);
    }

    @Override
    public Instant instant() {
        return clock.now();
    }
}
