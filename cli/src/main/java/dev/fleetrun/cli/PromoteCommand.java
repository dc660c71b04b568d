package dev.fleetrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetrun promote RUN}: see {@link GateControl#promote}. */
@Command(name = "promote", mixinStandardHelpOptions = true, description = "Skip the bakes and approval gates left and lift any pause: the remaining waves go out one after another at the request's concurrency; the error budget and alarms are still checked after each wave.",
        footer = {"", "Who did it and when is recorded on the run and shown by fleetrun status. Exit code 5 when it does not"
                + " apply to the run as it is (finished, or already so), 6 when there is no such run.", ExitCode.HELP})
final class PromoteCommand extends Fleetrun.Base {
    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Override
    public Integer call() {
        try (Backend backend = Connections.open(connection, terminal)) {
            return GateControl.run(backend, terminal, runId, controls -> GateControl.promote(backend, runId));
        }
    }
}
