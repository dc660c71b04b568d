package dev.fleetrun.cli;

import dev.fleetrun.aws.Json;
import dev.fleetrun.records.DynamoRunStore;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where a command's run lives: a fleetrun deployment (the state machine that runs it, the table that
 * records it), reached through real AWS SDK clients, whether it is the deployed stack in an AWS
 * account or the embedded runtime on this machine. Every command works the same against both.
 */
public final class Backend implements AutoCloseable {
    private final String description;
    private final SfnClient sfn;
    private final SsmClient ssm;
    private final RunStore store;
    private final String stateMachineArn;
    private final Duration pollInterval;
    private final AutoCloseable owned;
    private final java.util.function.Supplier<OutputClients> outputClients;
    private OutputClients outputs;
    private java.util.function.Supplier<String> actor = () -> System.getProperty("user.name") + " (local user)";
    private String actorName;

    /**
     * @param description     where this is, for messages ("the embedded runtime on http://127.0.0.1:4599")
     * @param stateMachineArn the rolling-run state machine
     * @param table           the records table
     * @param pollInterval    how often to look at a run in progress
     * @param owned           closed with this backend (an embedded runtime started for one command), or null
     * @param outputClients   makes the S3 and CloudWatch Logs clients {@code fleetrun logs} reads output with, on first use
     */
    public Backend(String description, SfnClient sfn, SsmClient ssm, DynamoDbClient dynamo, String stateMachineArn,
                   String table, Duration pollInterval, AutoCloseable owned,
                   java.util.function.Supplier<OutputClients> outputClients) {
        this.outputClients = outputClients;
        this.description = description;
        this.sfn = sfn;
        this.ssm = ssm;
        this.store = new DynamoRunStore(dynamo, table, Clock.systemUTC(), Duration.ofDays(90));
        this.stateMachineArn = stateMachineArn;
        this.pollInterval = pollInterval;
        this.owned = owned;
    }

    public String description() {
        return description;
    }

    public RunStore store() {
        return store;
    }

    public SsmClient ssm() {
        return ssm;
    }

    /** The S3 and CloudWatch Logs clients, made on first use (only {@code fleetrun logs} needs them). */
    public synchronized OutputClients outputs() {
        if (outputs == null) {
            outputs = outputClients.get();
        }
        return outputs;
    }

    /** Whether the runtime was started for this command alone (and goes away with it). */
    public boolean ownsRuntime() {
        return owned != null;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** Starts an execution named {@code runId} with this request; returns its ARN. */
    public String start(String runId, com.fasterxml.jackson.databind.JsonNode request) {
        return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(runId).input(Json.write(request))).executionArn();
    }

    /** The execution of a run, if there is one. */
    public Optional<DescribeExecutionResponse> execution(String runId) {
        try {
            return Optional.of(sfn.describeExecution(b -> b.executionArn(executionArn(runId))));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** Stops a run's execution; the cleanup rule then cancels its commands and closes the run. */
    public void stop(String runId, String cause) {
        sfn.stopExecution(b -> b.executionArn(executionArn(runId)).error("Fleetrun.Stopped").cause(cause));
    }

    /** Opens a run's approval gate, recording who did; false when the run is not waiting at one. */
    public boolean approve(String runId) {
        Optional<String> token = store.controls().answerGate(runId, GateControl.control(this, "approved", null));
        return token.isPresent() && tokens().succeed(token.get(), Json.object().put("approved", true));
    }

    /** Who this command acts as, for the run's control log: the IAM principal on AWS, the local user locally. */
    public synchronized String actor() {
        if (actorName == null) {
            actorName = actor.get();
        }
        return actorName;
    }

    /** Sets how {@link #actor()} is found (Connections does for AWS). */
    void actor(java.util.function.Supplier<String> actor) {
        this.actor = actor;
    }

    /** SendTaskSuccess / SendTaskFailure on a run's recorded tokens. */
    public dev.fleetrun.aws.TaskTokens tokens() {
        return new dev.fleetrun.aws.TaskTokens(sfn);
    }

    /**
     * RedriveExecution of the run's execution (fleetrun resume), with an idempotency token: the same token
     * again within 15 minutes redrives nothing more. Returns the redrive's date.
     */
    public java.time.Instant redrive(String runId, String clientToken) {
        return sfn.redriveExecution(b -> b.executionArn(executionArn(runId)).clientToken(clientToken)).redriveDate();
    }

    /** Whether the execution entered {@code state} among the last {@code last} states it entered. */
    public boolean enteredLately(String runId, String state, int last) {
        int seen = 0;
        for (software.amazon.awssdk.services.sfn.model.HistoryEvent e : sfn.getExecutionHistoryPaginator(
                b -> b.executionArn(executionArn(runId)).reverseOrder(true).includeExecutionData(false).maxResults(100)).events()) {
            if (e.stateEnteredEventDetails() != null) {
                if (state.equals(e.stateEnteredEventDetails().name())) {
                    return true;
                }
                if (++seen >= last) {
                    return false;
                }
            }
        }
        return false;
    }

    /** A state the execution entered: its name and when. */
    public record StateEntered(String name, java.time.Instant at) {
    }

    /**
     * The state the execution entered last (from its newest history events; where it stopped, for one that ended), if
     * any; empty too when the caller may not read the history (states:GetExecutionHistory): the live display then goes
     * without the bake line, and resume cannot tell that the run stopped at HoldForResume.
     */
    public Optional<StateEntered> lastStateEntered(String runId) {
        try {
            return sfn.getExecutionHistory(b -> b.executionArn(executionArn(runId)).reverseOrder(true).maxResults(20)
                            .includeExecutionData(false))
                    .events().stream().filter(e -> e.stateEnteredEventDetails() != null).findFirst()
                    .map(e -> new StateEntered(e.stateEnteredEventDetails().name(), e.timestamp()));
        } catch (software.amazon.awssdk.services.sfn.model.SfnException e) {
            if (e.statusCode() == 400 || e.statusCode() == 403) {
                return Optional.empty();
            }
            throw e;
        }
    }

    String executionArn(String runId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + runId;
    }

    @Override
    public void close() {
        sfn.close();
        ssm.close();
        synchronized (this) {
            if (outputs != null) {
                outputs.close();
            }
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                System.err.println("fleetrun: stopping the embedded runtime: " + e.getMessage());
            }
        }
    }
}
