package dev.fleetrun.catalog;

/**
 * The Lambda functions of fleetrun: the one description that the CDK stack deploys, the embedded
 * runtime installs and the workflow definitions refer to. A definition names a function through the
 * placeholder {@code ${<name>FunctionArn}}; {@link #placeholder()} gives it.
 */
public enum FleetrunFunction {
    START_RUN("StartRun", "dev.fleetrun.handlers.StartRunHandler", 1024, 120,
            "Validates the run request, resolves the targets, plans the waves, takes the leases and writes the run record."),
    SEND_WAVE("SendWave", "dev.fleetrun.handlers.SendWaveHandler", 1024, 120,
            "Sends one wave's commands (at most 50 nodes a SendCommand) and registers the task token; safe to retry."),
    STATUS_LISTENER("StatusListener", "dev.fleetrun.handlers.StatusListenerHandler", 1024, 60,
            "Records SSM status-change events per node and completes the wave's task token once."),
    RECONCILE("Reconcile", "dev.fleetrun.handlers.ReconcileHandler", 1024, 300,
            "After a wait timed out: polls ListCommandInvocations, records what the events missed, resumes."),
    EVALUATE("Evaluate", "dev.fleetrun.handlers.EvaluateHandler", 512, 60,
            "Checks the error budget and the alarms after a wave and decides: next wave, breach or done."),
    REQUEST_APPROVAL("RequestApproval", "dev.fleetrun.handlers.RequestApprovalHandler", 512, 60,
            "Parks the run at its approval gate: records the task token and announces that approval is needed."),
    ROLLBACK("Rollback", "dev.fleetrun.handlers.RollbackHandler", 1024, 120,
            "Plans the rollback wave over the nodes the run names, to be sent through the same send/wait path."),
    FINISH("Finish", "dev.fleetrun.handlers.FinishHandler", 1024, 300,
            "Writes the final status and counts, releases the leases, emits the fleetrun events and alerts."),
    CLEANUP("Cleanup", "dev.fleetrun.handlers.CleanupHandler", 1024, 300,
            "When an execution is stopped, fails or times out: cancels in-flight commands, releases leases, closes the run.");

    private final String logicalName;
    private final String handlerClass;
    private final int memoryMb;
    private final int timeoutSeconds;
    private final String description;

    FleetrunFunction(String logicalName, String handlerClass, int memoryMb, int timeoutSeconds, String description) {
        this.logicalName = logicalName;
        this.handlerClass = handlerClass;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        this.description = description;
    }

    /** The short name: {@code StartRun}. Function names, construct ids and placeholders derive from it. */
    public String logicalName() {
        return logicalName;
    }

    /** The fully qualified handler class, as Lambda's {@code Handler} setting takes it. */
    public String handlerClass() {
        return handlerClass;
    }

    public int memoryMb() {
        return memoryMb;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public String description() {
        return description;
    }

    /** The DefinitionSubstitutions key a workflow uses for this function's ARN: {@code StartRunFunctionArn}. */
    public String placeholder() {
        return logicalName + "FunctionArn";
    }

    /** The function named by a placeholder key such as {@code StartRunFunctionArn}, if any. */
    public static java.util.Optional<FleetrunFunction> byPlaceholder(String key) {
        for (FleetrunFunction f : values()) {
            if (f.placeholder().equals(key)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
