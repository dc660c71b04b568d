package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An SSM document to run and its parameters, as {@code SendCommand} takes them: every parameter value is a list
 * of strings, even a scalar one ({@code "executionTimeout": ["600"]}). Parameters keep their order.
 *
 * @param name       a document name or ARN
 * @param version    {@code $DEFAULT}, {@code $LATEST} or a version number
 * @param parameters parameter name to values
 */
public record DocumentSpec(String name, String version, Map<String, List<String>> parameters) {

    public static final String RUN_SHELL_SCRIPT = "AWS-RunShellScript";
    public static final String RUN_POWERSHELL_SCRIPT = "AWS-RunPowerShellScript";
    public static final String DEFAULT_VERSION = "$DEFAULT";
    public static final String LATEST_VERSION = "$LATEST";
    /** The parameter of both shell documents that bounds how long the script may run on one node. */
    public static final String EXECUTION_TIMEOUT = "executionTimeout";
    /** The parameter of both shell documents that holds the script lines. */
    public static final String COMMANDS = "commands";

    public DocumentSpec {
        Objects.requireNonNull(name, "name");
        version = version == null ? DEFAULT_VERSION : version;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (parameters != null) {
            parameters.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "parameter name"), List.copyOf(v)));
        }
        parameters = Collections.unmodifiableMap(copy);
    }

    /** Whether this is one of the two AWS shell documents that take {@code commands} and {@code executionTimeout}. */
    public boolean shellDocument() {
        return RUN_SHELL_SCRIPT.equals(name) || RUN_POWERSHELL_SCRIPT.equals(name);
    }

    /**
     * The platforms this document runs on: AWS-RunShellScript on Linux and macOS, AWS-RunPowerShellScript on
     * Windows and Linux (PowerShell Core), any other document on every platform (fleetrun cannot read its
     * preconditions; SSM reports a node it does not fit as Undeliverable / InvalidPlatform).
     */
    public Set<Platform> platforms() {
        return switch (name) {
            case RUN_SHELL_SCRIPT -> EnumSet.of(Platform.LINUX, Platform.MACOS);
            case RUN_POWERSHELL_SCRIPT -> EnumSet.of(Platform.WINDOWS, Platform.LINUX);
            default -> EnumSet.allOf(Platform.class);
        };
    }

    /**
     * The longest one node may run this document: a shell document's {@code executionTimeout} when it sets one
     * (SSM's agent enforces that value, whatever the request's {@code timeoutSeconds} says), otherwise
     * {@code requestTimeoutSeconds}, which is all fleetrun knows of another document.
     */
    public int runSeconds(int requestTimeoutSeconds) {
        List<String> timeout = parameters.get(EXECUTION_TIMEOUT);
        if (shellDocument() && timeout != null && timeout.size() == 1 && timeout.get(0).matches("[1-9][0-9]{0,5}")) {
            return Integer.parseInt(timeout.get(0));
        }
        return requestTimeoutSeconds;
    }

    /** This document with {@code parameter} set to {@code values} (replacing it, or added last). */
    public DocumentSpec withParameter(String parameter, List<String> values) {
        Map<String, List<String>> copy = new LinkedHashMap<>(parameters);
        copy.put(parameter, values);
        return new DocumentSpec(name, version, copy);
    }

    /** The shell document {@code shell} running {@code commands} for at most {@code timeoutSeconds} per node. */
    static DocumentSpec shell(String shell, List<String> commands, int timeoutSeconds) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put(COMMANDS, new ArrayList<>(commands));
        parameters.put(EXECUTION_TIMEOUT, List.of(Integer.toString(timeoutSeconds)));
        return new DocumentSpec(shell, DEFAULT_VERSION, parameters);
    }
}
