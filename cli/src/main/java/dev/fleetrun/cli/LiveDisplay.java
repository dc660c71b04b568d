package dev.fleetrun.cli;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.records.StatusCounts;
import dev.fleetrun.records.WaveRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The live part of {@code fleetrun run} and {@code fleetrun watch}: one progress line per wave, with its running,
 * succeeded, failed and timed-out counts and an ETA. On a terminal the line is redrawn in place at every poll;
 * elsewhere (a pipe, a CI log) it is printed as a plain line only when the counts changed, at most once per
 * {@link #PLAIN_EVERY}, so a wave of 5,000 nodes gives a handful of lines, not one per node.
 */
final class LiveDisplay {
    /** The least time between two plain progress lines of one wave. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final Terminal terminal;
    private final LongSupplier nanos;
    private String lastCounts;
    private long lastPlainAt;
    /** Observed seconds per round (a wave's nodes at its concurrency take ceil(size / concurrency) rounds). */
    private final List<Double> rounds = new ArrayList<>();

    LiveDisplay(Terminal terminal, LongSupplier nanos) {
        this.terminal = terminal;
        this.nanos = nanos;
    }

    /** A line that stays (a wave starting or done, a bake, a gate, a breach). */
    void line(String text) {
        terminal.line(text);
        lastCounts = null;
    }

    /**
     * The current wave's progress. {@code waves} are the phase's waves as planned (for the ETA), {@code elapsed}
     * how long the current wave has been sent, {@code bakeSeconds} the bake between waves.
     */
    void progress(String label, WaveRecord w, List<WaveRecord> waves, Duration elapsed, int bakeSeconds) {
        String counts = counts(w, true);
        Optional<Duration> eta = eta(w, waves, elapsed, bakeSeconds);
        String text = label + ": " + counts + eta.map(d -> "; ETA " + human(d)).orElse("");
        if (terminal.interactive()) {
            terminal.status(label + " " + Terminal.bar(w.done(), w.size(), 20) + " " + counts
                    + eta.map(d -> "; ETA " + human(d)).orElse(""));
            return;
        }
        long now = nanos.getAsLong();
        if (!counts.equals(lastCounts) && (lastCounts == null || now - lastPlainAt >= PLAIN_EVERY.toNanos())) {
            terminal.line(text);
            lastCounts = counts;
            lastPlainAt = now;
        }
    }

    /** A wave seen complete after {@code took}: one more sample for the ETA. */
    void waveDone(WaveRecord w, Duration took) {
        int r = roundsOf(w.size(), w.concurrency());
        if (r > 0 && !took.isNegative()) {
            rounds.add(took.toMillis() / 1000.0 / r);
        }
    }

    /**
     * What is left: the rest of the current wave at the pace it has had so far (nodes done per second since it was
     * sent: SSM ramps up, so this errs long early in a wave), then every later wave at the seconds per round observed
     * (in the waves seen complete, else in the current one), plus the bakes between them. Empty until something has
     * been observed.
     */
    Optional<Duration> eta(WaveRecord current, List<WaveRecord> waves, Duration elapsed, int bakeSeconds) {
        double seconds = elapsed.toMillis() / 1000.0;
        // Under a strict error budget's rounds (dispatched short of the size) no more than the nodes dispatched run at once.
        int concurrency = Math.max(1, current.dispatched() < current.size()
                ? Math.min(current.concurrency(), current.dispatched()) : current.concurrency());
        double perRound;
        if (!rounds.isEmpty()) {
            perRound = rounds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        } else if (current.done() > 0) {
            perRound = seconds / Math.max(1.0, (double) current.done() / concurrency);
        } else {
            return Optional.empty();
        }
        double left = current.done() > 0
                ? (current.size() - current.done()) * seconds / current.done()
                : Math.max(0, roundsOf(current.size(), concurrency) * perRound - seconds);
        for (WaveRecord w : waves) {
            if (w.wave() > current.wave()) {
                left += bakeSeconds + roundsOf(w.size(), w.concurrency()) * perRound;
            }
        }
        return Optional.of(Duration.ofSeconds(Math.round(left)));
    }

    private static int roundsOf(int size, int concurrency) {
        return concurrency <= 0 ? 0 : (size + concurrency - 1) / concurrency;
    }

    /**
     * "3 running, 12 succeeded, 1 failed, 0 timed out of 20", plus cancelled and not run when there are any.
     * Running: sent and not finished, which SSM keeps at the wave's concurrency while nodes are left; under a strict
     * error budget the wave is sent in rounds, and only the nodes dispatched so far ({@link WaveRecord#dispatched}) run.
     */
    static String counts(WaveRecord w, boolean running) {
        StatusCounts c = w.counts();
        StringBuilder b = new StringBuilder();
        if (running) {
            int inFlight = w.sentAt() == null ? 0 : inFlight(w);
            b.append(inFlight).append(" running, ");
        }
        b.append(c.get(NodeStatus.SUCCEEDED)).append(" succeeded, ")
                .append(c.get(NodeStatus.FAILED) + c.get(NodeStatus.UNDELIVERABLE)).append(" failed, ")
                .append(c.get(NodeStatus.TIMED_OUT) + c.get(NodeStatus.DELIVERY_TIMED_OUT)).append(" timed out");
        int cancelled = c.get(NodeStatus.CANCELLED) + c.get(NodeStatus.TERMINATED);
        if (cancelled > 0) {
            b.append(", ").append(cancelled).append(" cancelled");
        }
        if (c.get(NodeStatus.NOT_RUN) > 0) {
            b.append(", ").append(c.get(NodeStatus.NOT_RUN)).append(" not run");
        }
        return b.append(" of ").append(w.size()).toString();
    }

    /** The wave's nodes sent and not finished: at most its concurrency, and only of the nodes dispatched so far. */
    static int inFlight(WaveRecord w) {
        return w.sentAt() == null ? 0 : Math.max(0, Math.min(w.concurrency(), w.dispatched() - w.done()));
    }

    /** 45s, 3m05s, 1h02m. */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
