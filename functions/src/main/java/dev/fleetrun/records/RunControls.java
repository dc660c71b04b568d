package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.APPROVAL_TOKEN;
import static dev.fleetrun.records.FleetrunTable.PK;
import static dev.fleetrun.records.FleetrunTable.RUN_SK;
import static dev.fleetrun.records.FleetrunTable.STATUS;
import static dev.fleetrun.records.FleetrunTable.UPDATED_AT;
import static dev.fleetrun.records.FleetrunTable.runPk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Control at the gates, kept on the run item beside its status: whether the run is paused or promoted, what the
 * workflow is parked on between two waves (a bake, the approval gate, a pause) with the task token that lets it
 * go, and the log of every control action with who took it and when ({@code controls}, oldest first).
 *
 * <p>A parked workflow is let go exactly once: whoever removes the token from the record (a conditional update on
 * its value) is the one who sends it SendTaskSuccess or SendTaskFailure. The workflow parks and then reads the
 * flags; a command sets a flag and then reads the token: whichever comes second sees the other, so a pause
 * lifted (or a promote) while the workflow parks is never lost.
 */
public final class RunControls {
    public static final String PAUSED = "paused";
    public static final String PROMOTED = "promoted";
    public static final String HOLD_KIND = "holdKind";
    public static final String HOLD_TOKEN = "holdToken";
    public static final String HOLD_UNTIL = "holdUntil";
    public static final String CONTROLS = "controls";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a parked workflow waits on. */
    public enum HoldKind { BAKE, APPROVAL, PAUSE }

    /** One control action: {@code action} (paused, unpaused, promoted, approved, rejected, ...), by whom, when. */
    public record Control(String action, String by, Instant at, String reason) {
        public Control {
            at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // to the second, as people read it
        }

        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode().put("action", action).put("by", by).put("at", at.toString());
            if (reason != null) {
                o.put("reason", reason);
            }
            return o;
        }

        static Control fromJson(String text) {
            try {
                JsonNode n = JSON.readTree(text);
                return new Control(n.path("action").asText(), n.path("by").asText(), Instant.parse(n.path("at").asText()),
                        n.hasNonNull("reason") ? n.get("reason").asText() : null);
            } catch (IOException e) {
                throw new UncheckedIOException("a control entry of the run record is not JSON: " + text, e);
            }
        }
    }

    /**
     * The control state of a run.
     *
     * @param holdKind      what the workflow is parked on, or null while it sends or waits for a wave
     * @param holdToken     the token of a parked bake or pause, or null
     * @param approvalToken the token of the approval gate, or null
     * @param holdUntil     when the parked wait ends by itself (the bake's end, the gate's timeout), or null
     */
    public record State(RunStatus status, boolean paused, boolean promoted, HoldKind holdKind, String holdToken,
                        String approvalToken, Instant holdUntil, List<Control> controls) {
    }

    /** A control that does not apply to the run as it is; the message says why and what to do. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final TableAccess access;

    RunControls(TableAccess access) {
        this.access = access;
    }

    public Optional<State> read(String runId) {
        Map<String, AttributeValue> item = access.get(Items.key(runPk(runId), RUN_SK));
        return Optional.ofNullable(item).map(RunControls::state);
    }

    // ---- the commands' side ---------------------------------------------------------------------------------

    /** Holds the run before its next wave; refused when it is finished or paused already. */
    public State pause(String runId, Control control) {
        return set(runId, control, "SET #p = :t", "#p <> :t OR attribute_not_exists(#p)", "pause",
                s -> s.paused() ? "run " + runId + " is paused already (by " + last(s, "paused") + "): fleetrun unpause "
                        + runId + " lets it go on" : null);
    }

    /** Lifts a pause; refused when the run is not paused. */
    public State unpause(String runId, Control control) {
        return set(runId, control, "SET #p = :f", "#p = :t", "unpause",
                s -> !s.paused() ? "run " + runId + " is not paused (fleetrun pause " + runId + " holds it before its next wave)" : null);
    }

    /** Skips the remaining bakes and gates and lifts any pause; refused when promoted already. */
    public State promote(String runId, Control control) {
        return set(runId, control, "SET #m = :t, #p = :f", "#m <> :t OR attribute_not_exists(#m)", "promote",
                s -> s.promoted() ? "run " + runId + " is promoted already (by " + last(s, "promoted") + ")" : null);
    }

    /**
     * Takes the approval gate's token and logs the decision ({@code approved} or {@code rejected}); empty when the
     * run is not waiting at its gate. The caller sends the token.
     */
    public Optional<String> answerGate(String runId, Control control) {
        Expr e = new Expr();
        String update = "REMOVE " + e.name(APPROVAL_TOKEN) + ", " + e.name(HOLD_UNTIL) + " SET " + appendControl(e, control)
                + ", " + e.name(UPDATED_AT) + " = " + e.value(control.at().toString());
        String condition = "attribute_exists(" + e.name(APPROVAL_TOKEN) + ") AND " + DynamoRunStore.runningCondition(e);
        UpdateItemResponse r = access.updateReturning("answering the approval gate of run " + runId,
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e), ReturnValue.ALL_OLD.toString());
        return r == null ? Optional.empty() : Optional.of(r.attributes().get(APPROVAL_TOKEN).s());
    }

    /** Takes a parked bake's or pause's token, if it is still {@code token}; true when this caller took it. */
    public boolean takeHoldToken(String runId, String token) {
        Expr e = new Expr();
        String update = "REMOVE " + e.name(HOLD_TOKEN);
        String condition = e.name(HOLD_TOKEN) + " = " + e.value(token);
        return access.update("taking the hold token of run " + runId, access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e));
    }

    /** Takes the approval gate's token, if it is still {@code token} (a promote lets the gate go). */
    public boolean takeApprovalToken(String runId, String token) {
        Expr e = new Expr();
        String update = "REMOVE " + e.name(APPROVAL_TOKEN) + ", " + e.name(HOLD_UNTIL);
        String condition = e.name(APPROVAL_TOKEN) + " = " + e.value(token);
        return access.update("taking the approval token of run " + runId, access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e));
    }

    // ---- the workflow's side --------------------------------------------------------------------------------

    /** Parks the run on {@code kind} with {@code token}; returns the state after (its flags decide whether to stay). */
    public State park(String runId, HoldKind kind, String token, Instant until) {
        Expr e = new Expr();
        String tokenAttribute = kind == HoldKind.APPROVAL ? APPROVAL_TOKEN : HOLD_TOKEN;
        String update = "SET " + e.name(HOLD_KIND) + " = " + e.value(kind.name()) + ", " + e.name(tokenAttribute) + " = "
                + e.value(token) + ", " + e.name(HOLD_UNTIL) + " = " + e.value(until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString());
        String condition = "attribute_exists(" + e.name(PK) + ") AND " + DynamoRunStore.runningCondition(e);
        UpdateItemResponse r = access.updateReturning("parking run " + runId + " on its " + kind.name().toLowerCase(),
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e), ReturnValue.ALL_NEW.toString());
        if (r == null) {
            throw new IllegalStateException("run " + runId + " is finished or has no record: it cannot wait at a gate");
        }
        return state(r.attributes());
    }

    /** The workflow goes on: nothing is parked any more (a token left by a wait that timed out is dead). */
    public void unpark(String runId) {
        Expr e = new Expr();
        String update = "REMOVE " + e.name(HOLD_KIND) + ", " + e.name(HOLD_TOKEN) + ", " + e.name(APPROVAL_TOKEN) + ", "
                + e.name(HOLD_UNTIL);
        access.update("unparking run " + runId, access.updateOf(Items.key(runPk(runId), RUN_SK), update,
                "attribute_exists(" + e.name(PK) + ")", e));
    }

    /** Logs an action the workflow took itself (a gate's timeout). */
    public void log(String runId, Control control) {
        Expr e = new Expr();
        access.update("logging a control of run " + runId, access.updateOf(Items.key(runPk(runId), RUN_SK),
                "SET " + appendControl(e, control), "attribute_exists(" + e.name(PK) + ")", e));
    }

    // ---- parts ----------------------------------------------------------------------------------------------

    private State set(String runId, Control control, String set, String flagCondition, String verb,
                      java.util.function.Function<State, String> why) {
        Expr e = new Expr();
        // #p, #m and :t, :f are fixed placeholders of the flags; Expr numbers the rest.
        String update = set + ", " + appendControl(e, control) + ", " + e.name(UPDATED_AT) + " = " + e.value(control.at().toString());
        String condition = "(" + flagCondition + ") AND " + DynamoRunStore.runningCondition(e);
        String both = update + " " + condition;
        Map<String, String> names = new java.util.HashMap<>(e.names());
        Map<String, AttributeValue> values = new java.util.HashMap<>(e.values());
        // DynamoDB refuses placeholders an expression does not use.
        if (both.contains("#p")) {
            names.put("#p", PAUSED);
        }
        if (both.contains("#m")) {
            names.put("#m", PROMOTED);
        }
        if (both.contains(":t")) {
            values.put(":t", AttributeValue.fromBool(true));
        }
        if (both.contains(":f")) {
            values.put(":f", AttributeValue.fromBool(false));
        }
        var request = software.amazon.awssdk.services.dynamodb.model.Update.builder().tableName(access.table())
                .key(Items.key(runPk(runId), RUN_SK)).updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
        UpdateItemResponse r = access.updateReturning(verb + " run " + runId, request, ReturnValue.ALL_NEW.toString());
        if (r != null) {
            return state(r.attributes());
        }
        State now = read(runId).orElseThrow(() -> new Refused("no run " + runId));
        String reason = why.apply(now);
        if (now.status().isTerminal()) {
            reason = "run " + runId + " is finished (" + now.status() + "): there is nothing to " + verb;
        }
        throw new Refused(reason != null ? reason : "run " + runId + " changed meanwhile: see fleetrun status " + runId);
    }

    private static String appendControl(Expr e, Control control) {
        String list = e.name(CONTROLS);
        return list + " = list_append(if_not_exists(" + list + ", " + e.value(AttributeValue.fromL(List.of())) + "), "
                + e.value(AttributeValue.fromL(List.of(AttributeValue.fromS(control.toJson().toString())))) + ")";
    }

    private static String last(State s, String action) {
        for (int i = s.controls().size() - 1; i >= 0; i--) {
            Control c = s.controls().get(i);
            if (c.action().equals(action)) {
                return c.by() + " at " + c.at();
            }
        }
        return "someone";
    }

    static State state(Map<String, AttributeValue> item) {
        List<Control> controls = new ArrayList<>();
        AttributeValue list = item.get(CONTROLS);
        if (list != null && list.hasL()) {
            list.l().forEach(v -> controls.add(Control.fromJson(v.s())));
        }
        return new State(RunStatus.valueOf(item.get(STATUS).s()), bool(item, PAUSED), bool(item, PROMOTED),
                text(item, HOLD_KIND) == null ? null : HoldKind.valueOf(text(item, HOLD_KIND)),
                text(item, HOLD_TOKEN), text(item, APPROVAL_TOKEN),
                text(item, HOLD_UNTIL) == null ? null : Instant.parse(text(item, HOLD_UNTIL)), List.copyOf(controls));
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
