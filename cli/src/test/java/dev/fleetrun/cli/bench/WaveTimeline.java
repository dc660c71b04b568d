package dev.fleetrun.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;

/**
 * When each wave of a finished run was sent, ran and was resumed, from what SSM and the execution history
 * say afterwards, so that the run's wall time splits into the command's own time and fleetrun's.
 *
 * <p>A wave's span runs from the end of the previous wave's wait (the execution's start, for the first wave)
 * to the end of its own wait (SendWave exited): before send (Evaluate, SendWave's records and leases, the
 * first SendCommand), send to first script start (SSM dispatch), first start to last end (the scripts, at
 * the wave's concurrency, against its ideal), and last end to resume (the listener seeing the wave complete
 * and SendTaskSuccess). The tail is from the last resume to the execution's end (Evaluate, Finish).
 */
final class WaveTimeline {
    private static final Pattern WAVE_OF_COMMENT = Pattern.compile(" wave (\\d+) batch \\d+$");

    /**
     * @param wave        numbered from 1
     * @param size        nodes in the wave
     * @param ideal       ceil(size / concurrency) x the command's duration
     * @param spanStart   the previous wave's resume, or the execution's start
     * @param firstSend   the wave's first SendCommand (SSM's RequestedDateTime)
     * @param firstStart  the first script start among the wave's nodes
     * @param lastEnd     the last script end among the wave's nodes
     * @param resumed     SendWave's exit for this wave (the workflow resumed)
     */
    record Wave(int wave, int size, Duration ideal, Instant spanStart, Instant firstSend, Instant firstStart,
                Instant lastEnd, Instant resumed) {

        Duration span() {
            return Duration.between(spanStart, resumed);
        }

        Duration overhead() {
            return span().minus(ideal);
        }
    }

    private WaveTimeline() {
    }

    /**
     * @param output the execution output (the run summary, with {@code waves[].size})
     */
    static List<Wave> of(String runId, JsonNode output, int concurrency, int commandSeconds, Instant executionStart,
                         List<HistoryEvent> history, SsmClient ssm) {
        List<Instant> resumes = new ArrayList<>();
        for (HistoryEvent e : history) {
            if (e.type() == HistoryEventType.TASK_STATE_EXITED && "SendWave".equals(e.stateExitedEventDetails().name())) {
                resumes.add(e.timestamp());
            }
        }
        Map<Integer, Instant[]> byWave = new TreeMap<>(); // wave -> {firstSend, firstStart, lastEnd}
        for (Command c : ssm.listCommandsPaginator(b -> b.maxResults(50)).commands()) {
            if (c.comment() == null || !c.comment().startsWith("fleetrun " + runId + " wave ")) {
                continue;
            }
            Matcher m = WAVE_OF_COMMENT.matcher(c.comment());
            if (!m.find()) {
                continue;
            }
            Instant[] t = byWave.computeIfAbsent(Integer.parseInt(m.group(1)), w -> new Instant[3]);
            t[0] = min(t[0], c.requestedDateTime());
            for (CommandInvocation ci : ssm.listCommandInvocationsPaginator(b -> b.commandId(c.commandId())
                    .details(true).maxResults(50)).commandInvocations()) {
                for (CommandPlugin p : ci.commandPlugins()) {
                    t[1] = min(t[1], p.responseStartDateTime());
                    t[2] = max(t[2], p.responseFinishDateTime());
                }
            }
        }
        List<Wave> waves = new ArrayList<>();
        Instant spanStart = executionStart;
        for (JsonNode w : output.path("waves")) {
            if (!"main".equals(w.path("phase").asText("main"))) {
                continue;
            }
            int number = w.path("wave").asInt();
            int size = w.path("size").asInt();
            Instant[] t = byWave.getOrDefault(number, new Instant[3]);
            Instant resumed = number - 1 < resumes.size() ? resumes.get(number - 1) : null;
            Duration ideal = Duration.ofSeconds((long) Math.ceil(size / (double) concurrency) * commandSeconds);
            waves.add(new Wave(number, size, ideal, spanStart, t[0], t[1], t[2], resumed));
            spanStart = resumed;
        }
        return waves;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
