package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.domain.ApprovalSpec;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.RunControls;
import dev.fleetrun.records.RunControls.Control;
import dev.fleetrun.records.RunControls.HoldKind;
import dev.fleetrun.records.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The gate between two waves of a roll-out (the workflow's Hold step and the Bake, RequestApproval and Paused
 * waits it routes to). Before the next wave the run waits, in this order of precedence, while it is paused
 * ({@code fleetrun pause}), for the rest of its bake, and at its approval gate; {@code fleetrun promote} skips the
 * bakes and gates left. Every wait is a task token recorded on the run ({@link RunControls}): the command that
 * lifts the reason sends it, and each wait has a timeout (the bake's end, the gate's {@code approval.timeoutSeconds},
 * 7 days of pause), so nothing polls. A rejection ({@code fleetrun reject}, or a gate's timeout with
 * {@code onTimeout: reject}) ends the roll-out REJECTED, rolled back when the request has a rollback.
 */
public final class Approvals {
    /** The longest wait at a gate or in a pause; the leases are renewed for as long. */
    static final Duration GATE_TIMEOUT = Duration.ofSeconds(ApprovalSpec.MAX_TIMEOUT_SECONDS);
    /** The control event's detail-type, one event per control action. */
    public static final String RUN_CONTROLLED = "Fleetrun Run Controlled";
    /** The error a rejected gate's task fails with (and the rejected execution's error). */
    public static final String REJECTED = "Fleetrun.Rejected";

    private final Services services;

    public Approvals(Services services) {
        this.services = services;
    }

    /**
     * The Hold step: decides what the run waits on before the wave at the cursor. Sets {@code hold} to NONE (send
     * it), BAKE, APPROVAL or PAUSE (wait {@code holdSeconds} at most), REJECT (roll back if configured, then end
     * REJECTED) or FAIL (end FAILED, {@code failure} says why).
     */
    public ObjectNode decide(RunState state) {
        ObjectNode s = state.json();
        String runId = state.runId();
        int wave = state.wave();
        Instant now = services.clock().instant();
        RunControls controls = services.store().controls();
        String expired = s.has("holdExpired") ? s.path("hold").asText(null) : null;
        JsonNode released = s.path("released");
        s.remove(List.of("holdExpired", "released"));
        controls.unpark(runId);

        ObjectNode gate = s.path("gate").isObject() && s.path("gate").path("wave").asInt() == wave
                ? (ObjectNode) s.get("gate") : newGate(s, wave, now);
        if (released.path("approved").asBoolean(false)) {
            gate.put("approved", true);
        }
        RunControls.State c = controls.read(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no record"));
        announce(s, runId, c.controls());

        if (s.hasNonNull("rejected")) {
            return hold(s, "REJECT", 0);
        }
        RunRecord run = services.store().getRun(runId).orElseThrow();
        RunRequest request = StoredRequest.of(run);
        ApprovalSpec approval = request.approval();
        if ("APPROVAL".equals(expired)) {
            String how = "fleetrun (the approval gate before wave " + wave + " timed out after " + approval.timeoutSeconds() + " s)";
            switch (approval.onTimeout()) {
                case APPROVE -> {
                    controls.log(runId, new Control("approved", how, now, "approval.onTimeout is approve"));
                    gate.put("approved", true);
                }
                case REJECT -> {
                    controls.log(runId, new Control("rejected", how, now, "approval.onTimeout is reject"));
                    s.putObject("rejected").put("Error", REJECTED).put("Cause", "nobody approved or rejected run " + runId
                            + " within " + approval.timeoutSeconds() + " s at its gate before wave " + wave
                            + ", and its approval.onTimeout is reject");
                    announce(s, runId, controls.read(runId).orElseThrow().controls());
                    return hold(s, "REJECT", 0);
                }
                case FAIL -> {
                    controls.log(runId, new Control("timed out", how, now, "approval.onTimeout is fail"));
                    announce(s, runId, controls.read(runId).orElseThrow().controls());
                    s.putObject("failure").put("Error", "Fleetrun.ApprovalTimedOut").put("Cause", "nobody approved or"
                            + " rejected run " + runId + " within " + approval.timeoutSeconds() + " s at its gate before wave "
                            + wave + " (approval.onTimeout is fail; give \"reject\" or \"approve\" to choose otherwise)");
                    return hold(s, "FAIL", 0);
                }
            }
            c = controls.read(runId).orElseThrow();
            announce(s, runId, c.controls());
        }
        if ("PAUSE".equals(expired) && c.paused()) {
            s.putObject("failure").put("Error", "Fleetrun.PauseTimedOut").put("Cause", "run " + runId + " stayed paused for "
                    + GATE_TIMEOUT.toDays() + " days before wave " + wave + " and was ended (its leases end with it)");
            return hold(s, "FAIL", 0);
        }
        if (c.paused()) {
            return hold(s, "PAUSE", GATE_TIMEOUT.toSeconds());
        }
        long bakeLeft = gate.path("bakeUntil").asLong(0) - now.getEpochSecond();
        if (!c.promoted() && bakeLeft > 0) {
            return hold(s, "BAKE", bakeLeft);
        }
        if (!c.promoted() && !gate.path("approved").asBoolean(true)) {
            return hold(s, "APPROVAL", approval.timeoutSeconds());
        }
        s.remove("gate");
        return hold(s, "NONE", 0);
    }

    /** Bake, RequestApproval or Paused: records the token the wait ends with and announces an approval gate. */
    public void park(RunState state, String taskToken) {
        ObjectNode s = state.json();
        String runId = state.runId();
        HoldKind kind = HoldKind.valueOf(s.path("hold").asText());
        Instant now = services.clock().instant();
        Instant until = now.plusSeconds(s.path("holdSeconds").asLong(1));
        RunRecord run = services.store().getRun(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no record"));
        if (kind != HoldKind.BAKE) {
            // The wait may last up to its timeout: keep the nodes for as long, plus a lease after it.
            LeaseResult leases = Leasing.renew(services, run, until.plus(services.config().lease()));
            if (!leases.acquired()) {
                services.tokens().fail(taskToken, "Fleetrun.LeaseConflict", "run " + runId + " lost its lease on "
                        + leases.conflicts().size() + " node(s) before wave " + state.wave() + ": " + leases.describeConflicts());
                return;
            }
        }
        RunControls controls = services.store().controls();
        RunControls.State c = controls.park(runId, kind, taskToken, until);
        if (kind == HoldKind.APPROVAL) {
            announceGate(state, until);
        }
        boolean gone = switch (kind) {
            case PAUSE -> !c.paused();
            case BAKE, APPROVAL -> c.promoted() || (kind == HoldKind.BAKE && c.paused());
        };
        if (gone && (kind == HoldKind.APPROVAL ? controls.takeApprovalToken(runId, taskToken) : controls.takeHoldToken(runId, taskToken))) {
            services.tokens().succeed(taskToken, Json.object().put("released", true));
        }
    }

    private void announceGate(RunState state, Instant until) {
        String runId = state.runId();
        int after = state.wave() - 1;
        services.notifier().event(Notifier.APPROVAL_REQUESTED, runId,
                Json.object().put("runId", runId).put("afterWave", after).put("nextWave", state.wave())
                        .put("timeoutAt", until.toString()));
        services.notifier().alert("fleetrun: run " + runId + " waits for approval",
                "fleetrun run " + runId + " finished wave " + after + " within its error budget and waits for approval"
                        + " before wave " + state.wave() + " until " + until + ".\nResume it with: fleetrun approve " + runId
                        + "\nReject it with: fleetrun reject " + runId + " --reason TEXT"
                        + "\nStop it with: fleetrun stop " + runId + "\n");
    }

    /** One fleetrun event per control action not announced yet ({@code controlsAnnounced} counts them). */
    private void announce(ObjectNode s, String runId, List<Control> controls) {
        int done = s.path("controlsAnnounced").asInt(0);
        for (int i = done; i < controls.size(); i++) {
            ObjectNode detail = controls.get(i).toJson().put("runId", runId);
            services.notifier().event(RUN_CONTROLLED, runId, detail);
        }
        s.put("controlsAnnounced", Math.max(done, controls.size()));
    }

    private ObjectNode newGate(ObjectNode s, int wave, Instant now) {
        ObjectNode gate = s.putObject("gate");
        gate.put("wave", wave);
        gate.put("bakeUntil", now.getEpochSecond() + s.path("bakeSeconds").asLong(0));
        gate.put("approved", !s.path("approvalRequired").asBoolean(false));
        return gate;
    }

    private static ObjectNode hold(ObjectNode s, String hold, long seconds) {
        s.put("hold", hold);
        s.put("holdSeconds", Math.max(1, seconds));
        return s;
    }
}
