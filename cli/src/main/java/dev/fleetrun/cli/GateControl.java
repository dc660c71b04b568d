package dev.fleetrun.cli;

import dev.fleetrun.aws.Json;
import dev.fleetrun.records.RunControls;
import dev.fleetrun.records.RunControls.Control;
import dev.fleetrun.records.RunControls.HoldKind;
import dev.fleetrun.records.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What {@code fleetrun pause}, {@code unpause}, {@code promote}, {@code reject} (and {@code approve}) do to a run:
 * each records itself on the run item with who and when ({@link RunControls}), then lets the parked workflow go
 * when the command lifts what it waits on. On AWS this is the operator's own DynamoDB UpdateItem on the stack's
 * table and SendTaskSuccess / SendTaskFailure on the recorded token.
 */
final class GateControl {
    private GateControl() {
    }

    static Control control(Backend backend, String action, String reason) {
        return new Control(action, backend.actor(), Instant.now(), reason);
    }

    /** The IAM principal the AWS credentials are (STS GetCallerIdentity), for the run's control log. */
    static String awsPrincipal(Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        try (StsClient sts = StsClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build()) {
            return sts.getCallerIdentity().arn();
        } catch (SdkException e) {
            return System.getProperty("user.name") + " (local user; STS GetCallerIdentity failed: " + e.getMessage() + ")";
        }
    }

    /** Runs one control; a run that does not exist is exit code 6, a control that does not apply 5. */
    static int run(Backend backend, Terminal terminal, String runId, java.util.function.Function<RunControls, String> action) {
        if (backend.store().getRun(runId).isEmpty()) {
            terminal.line("fleetrun: no run " + runId + " on " + backend.description());
            return ExitCode.NOT_FOUND;
        }
        try {
            terminal.line(action.apply(backend.store().controls()));
            return ExitCode.OK;
        } catch (RunControls.Refused e) {
            terminal.line("fleetrun: " + e.getMessage());
            return ExitCode.REFUSED;
        }
    }

    /** A rollback is not held: pause and promote do not apply to a run that breached or was rejected. */
    private static void refuseDuringRollback(Backend backend, String runId, String verb) {
        RunRecord run = backend.store().getRun(runId).orElseThrow();
        if (!run.status().isTerminal() && (run.breachJson() != null || run.rollbackWaveCount() > 0)) {
            throw new RunControls.Refused("run " + runId + " is rolling back or closing after a breach: there is nothing to "
                    + verb + " (fleetrun stop " + runId + " ends it)");
        }
    }

    static String pause(Backend backend, String runId) {
        refuseDuringRollback(backend, runId, "pause");
        RunControls.State s = backend.store().controls().pause(runId, control(backend, "paused", null));
        if (s.holdKind() == HoldKind.BAKE) {
            release(backend, runId, s); // the bake becomes a pause; its clock goes on
        }
        return "fleetrun: run " + runId + " paused by " + backend.actor() + ": it holds before its next wave (a wave in flight"
                + " finishes; a rollback is not held). Go on with: fleetrun unpause " + runId;
    }

    static String unpause(Backend backend, String runId) {
        RunControls.State s = backend.store().controls().unpause(runId, control(backend, "unpaused", null));
        if (s.holdKind() == HoldKind.PAUSE) {
            release(backend, runId, s);
        }
        return "fleetrun: run " + runId + " unpaused by " + backend.actor() + ": it goes on";
    }

    static String promote(Backend backend, String runId) {
        refuseDuringRollback(backend, runId, "promote");
        RunControls.State s = backend.store().controls().promote(runId, control(backend, "promoted", null));
        release(backend, runId, s);
        if (s.approvalToken() != null && backend.store().controls().takeApprovalToken(runId, s.approvalToken())) {
            backend.tokens().succeed(s.approvalToken(), Json.object().put("promoted", true));
        }
        return "fleetrun: run " + runId + " promoted by " + backend.actor() + ": its remaining waves go out one after"
                + " another at the request's concurrency, with no bake, approval gate or pause between them;"
                + " the error budget and alarms are still checked after each wave";
    }

    /** Ends a run waiting at its gate REJECTED; empty when it is not waiting at one. */
    static Optional<String> reject(Backend backend, String runId, String reason) {
        Optional<String> token = backend.store().controls().answerGate(runId, control(backend, "rejected", reason));
        if (token.isEmpty() || !backend.tokens().fail(token.get(), dev.fleetrun.run.Approvals.REJECTED,
                "rejected by " + backend.actor() + ": " + reason)) {
            return Optional.empty();
        }
        return Optional.of("fleetrun: run " + runId + " rejected by " + backend.actor() + ": it ends REJECTED"
                + (hasRollback(backend, runId) ? ", after its rollback" : "") + "; see: fleetrun status " + runId);
    }

    private static boolean hasRollback(Backend backend, String runId) {
        return backend.store().getRun(runId).map(RunRecord::requestJson).map(Json::parse)
                .map(r -> r.hasNonNull("rollback")).orElse(false);
    }

    private static void release(Backend backend, String runId, RunControls.State s) {
        if (s.holdToken() != null && backend.store().controls().takeHoldToken(runId, s.holdToken())) {
            backend.tokens().succeed(s.holdToken(), Json.object().put("released", true));
        }
    }

    /** What {@code fleetrun status} shows: what the run waits on, and who controlled it when. */
    static List<String> statusLines(Backend backend, RunRecord run) {
        List<String> lines = new ArrayList<>();
        Optional<RunControls.State> state = backend.store().controls().read(run.runId());
        if (state.isEmpty()) {
            return lines;
        }
        RunControls.State s = state.get();
        String id = run.runId();
        if (!run.status().isTerminal()) {
            if (s.holdKind() == HoldKind.PAUSE) {
                lines.add("paused before its next wave: fleetrun unpause " + id);
            } else if (s.paused()) {
                lines.add("paused: it holds before its next wave (fleetrun unpause " + id + ")");
            }
            if (s.holdKind() == HoldKind.BAKE && s.holdUntil() != null) {
                lines.add("baking until " + s.holdUntil() + " (fleetrun promote " + id + " skips it)");
            }
            if (s.holdKind() == HoldKind.APPROVAL && s.holdUntil() != null) {
                String onTimeout = Json.parse(run.requestJson()).path("approval").path("onTimeout").asText("fail");
                lines.add("approval gate open until " + s.holdUntil() + ", then " + onTimeout + ": fleetrun approve " + id
                        + " or fleetrun reject " + id + " --reason TEXT");
            }
            if (s.promoted()) {
                lines.add("promoted: no bake or approval gate before its remaining waves");
            }
        }
        if (!s.controls().isEmpty()) {
            lines.add("controls:");
            for (Control c : s.controls()) {
                lines.add("  " + c.at() + "  " + c.action() + " by " + c.by() + (c.reason() != null ? ": " + c.reason() : ""));
            }
        }
        return lines;
    }
}
