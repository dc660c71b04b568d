package dev.fleetrun.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetrun reject RUN --reason TEXT}: see {@link GateControl#reject}. */
@Command(name = "reject", mixinStandardHelpOptions = true,
        description = "End a run waiting at its approval gate: it ends REJECTED (exit code 8 for fleetrun run and status),"
                + " after rolling back when the request has a rollback.",
        footer = {"", "Who rejected it, when and why is recorded on the run and shown by fleetrun status. Exit code 6 when"
                + " the run is not waiting at an approval gate (fleetrun stop ends a run anywhere).", ExitCode.HELP})
final class RejectCommand extends Fleetrun.Base {
    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why: recorded on the run and in the execution's cause.")
    String reason;

    @Override
    public Integer call() {
        if (reason.isBlank() || reason.length() > 256) {
            throw new UsageException("--reason must say why in 1 to 256 characters");
        }
        try (Backend backend = Connections.open(connection, terminal)) {
            if (backend.store().getRun(runId).isEmpty()) {
                terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                return ExitCode.NOT_FOUND;
            }
            Optional<String> done = GateControl.reject(backend, runId, reason.strip());
            if (done.isEmpty()) {
                terminal.line("fleetrun: run " + runId + " is not waiting at an approval gate (see: fleetrun status " + runId
                        + "); fleetrun stop " + runId + " ends a run anywhere");
                return ExitCode.NOT_FOUND;
            }
            terminal.line(done.get());
            return ExitCode.OK;
        }
    }
}
