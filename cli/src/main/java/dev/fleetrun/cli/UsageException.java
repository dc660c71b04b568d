package dev.fleetrun.cli;

/** A mistake in how fleetrun was called; the message says what to do. Exit code {@link ExitCode#USAGE}. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
