package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Splits a run's targeted nodes into waves, and a wave into {@code SendCommand} batches.
 *
 * <p>The run's concurrency C is {@code maxConcurrency} applied to the targeted total, rounded up, at least 1.
 * <ul>
 * <li><b>Default plan</b> (no explicit waves): a canary of 1, then doubling (1, 2, 4, 8, ...), each wave capped
 *     at C, then waves of C until every node is placed; the last wave holds what is left.</li>
 * <li><b>Explicit waves</b>: each entry is the size of that wave (a count, or a percentage of the targeted total
 *     rounded up). Waves fill in order; entries left when every node is placed are dropped (there is never an
 *     empty wave); nodes left after the last entry all go into the last wave.</li>
 * <li>Each wave's concurrency is min(C, its size).</li>
 * <li>A wave larger than 50 × C is split into consecutive waves of 50 × C (the last one takes the rest). A wave
 *     is sent as batches of at most 50 ids, one {@code SendCommand} each, and each command needs a
 *     {@code MaxConcurrency} of at least 1; with at most 50 × C nodes a wave has at most C batches, so the
 *     wave's concurrency can be shared out without running more than C nodes at once.</li>
 * </ul>
 * Nodes keep the order they are given in (the resolver sorts them by instance id); a repeated id counts once.
 */
public final class WavePlanner {

    /** SSM's limit on instance ids in one {@code SendCommand}. */
    public static final int MAX_IDS_PER_COMMAND = 50;

    private WavePlanner() {
    }

    public static WavePlan plan(List<String> instanceIds, List<WaveSize> explicit, Rate maxConcurrency) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        int total = ids.size();
        int concurrency = Math.max(1, maxConcurrency.ceilOf(total));
        List<Integer> sizes = explicit == null || explicit.isEmpty()
                ? defaultSizes(total, concurrency)
                : explicitSizes(total, explicit);
        List<Wave> waves = new ArrayList<>();
        long maxWave = (long) MAX_IDS_PER_COMMAND * concurrency;
        int next = 0;
        for (int size : sizes) {
            int left = size;
            while (left > 0) {
                int take = (int) Math.min(left, maxWave);
                waves.add(new Wave(waves.size() + 1, ids.subList(next, next + take), Math.min(concurrency, take)));
                next += take;
                left -= take;
            }
        }
        return new WavePlan(waves, concurrency, total);
    }

    /** 1, 2, 4, ... capped at {@code concurrency}, then {@code concurrency} until {@code total} is reached. */
    private static List<Integer> defaultSizes(int total, int concurrency) {
        List<Integer> sizes = new ArrayList<>();
        int placed = 0;
        int step = 1;
        while (placed < total) {
            int size = Math.min(step, total - placed);
            sizes.add(size);
            placed += size;
            step = (int) Math.min(2L * step, concurrency); // capped before it can overflow (after 63 doublings)
        }
        return sizes;
    }

    private static List<Integer> explicitSizes(int total, List<WaveSize> explicit) {
        List<Integer> sizes = new ArrayList<>();
        int placed = 0;
        for (WaveSize entry : explicit) {
            if (placed == total) {
                break;
            }
            int size = Math.min(entry.of(total), total - placed);
            sizes.add(size);
            placed += size;
        }
        if (placed < total) {
            sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + total - placed);
        }
        return sizes;
    }

    /**
     * Splits a wave into {@code SendCommand} batches of at most {@value #MAX_IDS_PER_COMMAND} ids, numbered from 1.
     * The ids are shared out as evenly as possible (101 ids are 34, 34 and 33, not 50, 50 and 1), in order, so the
     * concurrency can be shared evenly too. The batches' concurrency adds up to the wave's concurrency (or to its
     * size if that is smaller), each at least 1 and at most its batch's size, the larger shares first.
     *
     * @throws IllegalArgumentException when the wave's concurrency is below its number of batches, which a wave
     *                                  from {@link #plan} never is
     */
    public static List<Batch> batches(Wave wave) {
        int size = wave.size();
        if (size == 0) {
            return List.of();
        }
        int count = (size + MAX_IDS_PER_COMMAND - 1) / MAX_IDS_PER_COMMAND;
        int concurrency = Math.min(wave.concurrency(), size);
        if (concurrency < count) {
            throw new IllegalArgumentException("wave " + wave.number() + " has " + size + " nodes, so " + count
                    + " commands, but a concurrency of " + wave.concurrency() + "; each command needs at least 1");
        }
        List<Batch> batches = new ArrayList<>(count);
        int start = 0;
        for (int i = 0; i < count; i++) {
            int batchSize = share(size, count, i);
            batches.add(new Batch(i + 1, wave.instanceIds().subList(start, start + batchSize), share(concurrency, count, i)));
            start += batchSize;
        }
        return batches;
    }

    /**
     * The next round of a wave sent under a {@link BudgetMode#STRICT strict} error budget: the first
     * {@code budgetLeft + 1} of the wave's nodes not sent yet ({@code unsent}, in plan order), and at most
     * {@value #MAX_IDS_PER_COMMAND} × the wave's concurrency of them, as batches numbered from {@code firstBatch},
     * running at the wave's concurrency (or at the round's size when that is smaller). Even if every node of the
     * round fails, the run's errors end at most one past its allowance.
     *
     * @param budgetLeft the errors the run may still have ({@link ErrorBudget#remaining})
     * @return no batch when nothing is left to send
     */
    public static List<Batch> round(Wave wave, List<String> unsent, int budgetLeft, int firstBatch) {
        if (budgetLeft < 0 || firstBatch < 1) {
            throw new IllegalArgumentException("a round needs a budget left of at least 0 and batches numbered from 1,"
                    + " got " + budgetLeft + " and " + firstBatch);
        }
        long cap = Math.min((long) budgetLeft + 1, (long) MAX_IDS_PER_COMMAND * Math.max(1, wave.concurrency()));
        int size = (int) Math.min(unsent.size(), cap);
        if (size == 0) {
            return List.of();
        }
        Wave round = new Wave(wave.number(), unsent.subList(0, size), Math.min(Math.max(1, wave.concurrency()), size));
        List<Batch> numbered = new ArrayList<>();
        for (Batch b : batches(round)) {
            numbered.add(new Batch(firstBatch + b.number() - 1, b.instanceIds(), b.concurrency()));
        }
        return numbered;
    }

    /** Part {@code i} of {@code total} split into {@code parts} as evenly as possible, the larger parts first. */
    private static int share(int total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }
}
