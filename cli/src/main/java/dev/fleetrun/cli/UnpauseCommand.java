package dev.fleetrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetrun unpause RUN}: see {@link GateControl#unpause}. */
@Command(name = "unpause", mixinStandardHelpOptions = true, description = "Let a paused run go on with its next wave (its bake, if any left, and its approval gate still apply).",
        footer = {"", "Who did it and when is recorded on the run and shown by fleetrun status. Exit code 5 when it does not"
                + " apply to the run as it is (finished, or already so), 6 when there is no such run.", ExitCode.HELP})
final class UnpauseCommand extends Fleetrun.Base {
    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Override
    public Integer call() {
        try (Backend backend = Connections.open(connection, terminal)) {
            return GateControl.run(backend, terminal, runId, controls -> GateControl.unpause(backend, runId));
        }
    }
}
