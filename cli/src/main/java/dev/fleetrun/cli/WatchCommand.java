package dev.fleetrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetrun watch RUN}: re-attaches the live display to a running run (started with --detach, or by a
 * {@code fleetrun run} that was interrupted while a serve keeps it going); a run that has ended gets its summary.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a running run with the live display to its end; a finished run gets its summary.",
        footer = {"", "Ctrl-C stops watching and leaves the run as it is (it goes on in the serve or the stack); the exit code is then 130.",
                "The exit code is the run's outcome, as for fleetrun run.", ExitCode.HELP})
final class WatchCommand extends Fleetrun.Base {
    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Override
    public Integer call() {
        try (Backend backend = Connections.open(connection, terminal)) {
            if (backend.execution(runId).isEmpty()) {
                terminal.line("fleetrun: no run " + runId + " on " + backend.description() + " (see: fleetrun list)");
                return ExitCode.NOT_FOUND;
            }
            // Ctrl-C stops watching, not the run: say so (the JVM then exits 130).
            Thread hook = new Thread(() -> {
                terminal.mute();
                terminal.say("");
                terminal.say("fleetrun: stopped watching; run " + runId + " goes on. Again: fleetrun watch " + runId
                        + "    stop it: fleetrun stop " + runId);
            }, "fleetrun-watch-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return new RunFollower(backend, terminal).watch(runId);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook says it
                }
            }
        }
    }
}
