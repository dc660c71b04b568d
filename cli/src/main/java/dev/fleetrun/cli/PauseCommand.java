package dev.fleetrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetrun pause RUN}: see {@link GateControl#pause}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold a run before its next wave: a wave in flight finishes, then the run waits (no polling) until unpause or promote; after 7 days paused it ends FAILED (Fleetrun.PauseTimedOut; not resumable: retry it).",
        footer = {"", "Who did it and when is recorded on the run and shown by fleetrun status. Exit code 5 when it does not"
                + " apply to the run as it is (finished, or already so), 6 when there is no such run.", ExitCode.HELP})
final class PauseCommand extends Fleetrun.Base {
    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Override
    public Integer call() {
        try (Backend backend = Connections.open(connection, terminal)) {
            return GateControl.run(backend, terminal, runId, controls -> GateControl.pause(backend, runId));
        }
    }
}
