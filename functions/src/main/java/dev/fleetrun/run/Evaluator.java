package dev.fleetrun.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Alarms.AlarmState;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.domain.ErrorBudget;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.WaveRecord;
import java.util.List;

/**
 * Decides after each wave: the next wave ({@code CONTINUE}), a breach ({@code BREACH}: errors beyond
 * the budget, counted over the whole run, or one of the run's CloudWatch alarms in ALARM), or the
 * end ({@code DONE}). Under a strict error budget a wave goes out in rounds: after a round, while the budget and
 * the alarms hold and nodes of the wave are left, the next round ({@code NEXT_ROUND}, the same wave again). During
 * a rollback it only walks through the rollback waves.
 */
public final class Evaluator {
    private final Services services;

    public Evaluator(Services services) {
        this.services = services;
    }

    public ObjectNode evaluate(RunState state) {
        String runId = state.runId();
        int wave = state.wave();
        ObjectNode s = state.json();
        s.put("approvalRequired", false);
        if (state.phase() == Phase.ROLLBACK) {
            boolean more = wave < s.path("rollbackWaveCount").asInt(1);
            s.put("decision", more ? "CONTINUE" : "DONE");
            if (more) {
                state.cursor(Phase.ROLLBACK, wave + 1);
            }
            return s;
        }

        RunRecord run = services.store().getRun(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no record"));
        RunRequest request = StoredRequest.of(run);
        ErrorBudget budget = new ErrorBudget(run.allowance(), run.targeted());
        List<AlarmState> alarms = services.alarms().states(request.alarms());
        List<AlarmState> firing = alarms.stream().filter(AlarmState::firing).toList();
        WaveRecord w = services.store().getWave(runId, Phase.MAIN, wave).orElseThrow();
        boolean breached = budget.isBreached(run.errors()) || !firing.isEmpty();
        if (!breached && w.dispatched() < w.size()) {
            // A strict budget's round is done and the budget holds: the wave's next round, sized by the budget left,
            // with no bake or gate in between (those sit between waves).
            s.put("decision", "NEXT_ROUND");
            return s;
        }

        ObjectNode waveEvent = WaveSender.summary(w);
        waveEvent.put("runId", runId).put("errors", run.errors()).put("errorAllowance", budget.allowance());
        services.notifier().event(Notifier.WAVE_COMPLETED, runId, waveEvent);

        if (breached) {
            ObjectNode breach = Json.object();
            breach.put("reason", budget.isBreached(run.errors())
                    ? run.errors() + " error(s) exceed maxErrors " + request.maxErrors() + " (allowance " + budget.allowance() + " of " + run.targeted() + " nodes)"
                    : "alarm in ALARM: " + String.join(", ", firing.stream().map(AlarmState::name).toList()));
            breach.put("wave", wave).put("errors", run.errors()).put("errorAllowance", budget.allowance());
            ArrayNode fa = breach.putArray("alarms");
            firing.forEach(a -> fa.add(a.name()));
            services.store().setBreach(runId, Json.write(breach));
            ObjectNode event = breach.deepCopy().put("runId", runId).put("rollback", s.path("hasRollback").asBoolean());
            services.notifier().event(Notifier.RUN_BREACHED, runId, event);
            s.put("decision", "BREACH");
            return s;
        }
        if (wave >= s.path("waveCount").asInt(run.waveCount())) {
            s.put("decision", "DONE");
            return s;
        }
        s.put("decision", "CONTINUE");
        s.put("approvalRequired", request.approvalAfterWave() == wave);
        state.cursor(Phase.MAIN, wave + 1);
        return s;
    }
}
