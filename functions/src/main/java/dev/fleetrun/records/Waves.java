package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import dev.fleetrun.domain.Phase;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A wave's task token and the once-per-token claim on completing it. */
final class Waves {

    private final TableAccess access;

    Waves(TableAccess access) {
        this.access = access;
    }

    void setToken(String runId, Phase phase, int wave, String taskToken, long deadlineEpochSeconds) {
        Expr e = new Expr();
        String update = "SET " + e.name(TASK_TOKEN) + " = " + e.value(taskToken)
                + ", " + e.name(DEADLINE) + " = " + e.value(deadlineEpochSeconds)
                + ", " + e.name(STATUS) + " = " + e.value(WaveStatus.SENT.name())
                + ", " + e.name(SENT_AT) + " = if_not_exists(" + e.name(SENT_AT) + ", " + e.value(access.now().toString()) + ")";
        boolean stored = access.update("storing the task token of " + label(runId, phase, wave),
                access.updateOf(key(runId, phase, wave), update, "attribute_exists(" + e.name(PK) + ")", e));
        if (!stored) {
            throw new IllegalStateException(label(runId, phase, wave) + " has no record in table " + access.table()
                    + ": only a planned wave can be sent");
        }
    }

    Optional<WaveRecord> get(String runId, Phase phase, int wave) {
        return Optional.ofNullable(access.get(key(runId, phase, wave))).map(ItemCodec::wave);
    }

    boolean claimCompletion(String runId, Phase phase, int wave, String taskToken) {
        Expr e = new Expr();
        String token = e.value(taskToken);
        String update = "SET " + e.name(COMPLETED_TOKEN) + " = " + token
                + ", " + e.name(STATUS) + " = " + e.value(WaveStatus.COMPLETED.name());
        String condition = e.name(TASK_TOKEN) + " = " + token
                + " AND (attribute_not_exists(" + e.name(COMPLETED_TOKEN) + ") OR " + e.name(COMPLETED_TOKEN) + " <> " + token + ")"
                // Every node dispatched so far is done (a wave written before rounds existed has no DISPATCHED: all).
                + " AND ((" + e.name(DONE) + " >= " + e.name(DISPATCHED) + " AND " + e.name(DISPATCHED) + " > " + e.value(0)
                + ") OR (attribute_not_exists(" + e.name(DISPATCHED) + ") AND " + e.name(DONE) + " >= " + e.name(SIZE) + "))";
        return access.update("claiming the completion of " + label(runId, phase, wave),
                access.updateOf(key(runId, phase, wave), update, condition, e));
    }

    void releaseCompletion(String runId, Phase phase, int wave, String taskToken) {
        Expr e = new Expr();
        String update = "REMOVE " + e.name(COMPLETED_TOKEN)
                + " SET " + e.name(STATUS) + " = " + e.value(WaveStatus.SENT.name());
        String condition = e.name(COMPLETED_TOKEN) + " = " + e.value(taskToken);
        access.update("releasing the completion of " + label(runId, phase, wave),
                access.updateOf(key(runId, phase, wave), update, condition, e));
    }

    private static Map<String, AttributeValue> key(String runId, Phase phase, int wave) {
        return Items.key(runPk(runId), waveSk(phase, wave));
    }

    private static String label(String runId, Phase phase, int wave) {
        return "wave " + phase.id() + "/" + wave + " of run " + runId;
    }
}
