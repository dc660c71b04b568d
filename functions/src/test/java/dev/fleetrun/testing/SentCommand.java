package dev.fleetrun.testing;

import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.ssm.SsmCommand;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A command {@link FakeSsm} accepted, as a test sees it: what was sent, its current status, and
 * the means to move its invocations. {@link FakeSsm#onSend} policies receive one of these, e.g.
 * {@code fake.ssm().onSend(cmd -> cmd.completeAll(InvocationOutcome.success("ok")))}.
 */
public final class SentCommand {
    private final FakeSsm ssm;
    private final SsmCommand command;

    SentCommand(FakeSsm ssm, SsmCommand command) {
        this.ssm = ssm;
        this.command = command;
    }

    public String commandId() {
        return command.commandId();
    }

    public String documentName() {
        return command.document().name();
    }

    public List<String> instanceIds() {
        return command.instanceIds();
    }

    /** The document parameters as sent, e.g. {@code commands -> [uptime]}. */
    public Map<String, List<String>> parameters() {
        return command.parameters();
    }

    /** The Comment as sent, "" when none. */
    public String comment() {
        return command.comment();
    }

    public String maxConcurrency() {
        return command.maxConcurrency();
    }

    public String maxErrors() {
        return command.maxErrors();
    }

    public int timeoutSeconds() {
        return command.timeoutSeconds();
    }

    public Instant requestedAt() {
        return command.requestedAt();
    }

    /** RequestedDateTime + TimeoutSeconds + the document's execution timeout. */
    public Instant expiresAfter() {
        return command.expiresAfter();
    }

    /** The command's coarse status now (Pending, InProgress, Success, Failed ...). */
    public String status() {
        return ssm.rollup(command).status();
    }

    /** The command's StatusDetails now (adds Incomplete, DeliveryTimedOut ...). */
    public String statusDetails() {
        return ssm.rollup(command).statusDetails();
    }

    /** Where the invocation on this node stands now. */
    public InvocationOutcome invocation(String instanceId) {
        return ssm.outcome(command.commandId(), instanceId);
    }

    /** Moves the invocation on one node. */
    public void complete(String instanceId, InvocationOutcome outcome) {
        ssm.complete(command.commandId(), instanceId, outcome);
    }

    /** Moves the invocations on every node of the command to the same outcome. */
    public void completeAll(InvocationOutcome outcome) {
        instanceIds().forEach(id -> complete(id, outcome));
    }

    @Override
    public String toString() {
        return "SentCommand[" + command.commandId() + " " + command.document().name() + " on " + instanceIds() + "]";
    }
}
