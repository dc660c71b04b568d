package dev.fleetrun.local.ssm;

import dev.fleetrun.local.wire.AwsError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Command document {@code SendCommand} may name: the step its one plugin reports under
 * (GetCommandInvocation's {@code PluginName}), the plugin that step runs, and the parameters it takes.
 * The two AWS documents fleetrun uses are built in with their real parameters; others are added by
 * name, and those accept any parameters.
 *
 * @param name       the document name, e.g. AWS-RunShellScript
 * @param stepName   the name of its one step
 * @param action     the plugin of that step: {@link #SHELL} or {@link #POWERSHELL}
 * @param parameters the parameters the document declares, or null to accept any
 */
public record SsmDocument(String name, String stepName, String action, Set<String> parameters) {
    public static final String SHELL = "aws:runShellScript";
    public static final String POWERSHELL = "aws:runPowerShellScript";
    /** The allowedPattern AWS-RunShellScript and AWS-RunPowerShellScript put on executionTimeout. */
    public static final String EXECUTION_TIMEOUT_PATTERN =
            "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)";
    public static final int DEFAULT_EXECUTION_TIMEOUT = 3600;

    public SsmDocument {
        if (!SHELL.equals(action) && !POWERSHELL.equals(action)) {
            throw new IllegalArgumentException("Document " + name + ": action '" + action + "' is not one this"
                    + " simulation runs; use " + SHELL + " or " + POWERSHELL);
        }
        parameters = parameters == null ? null : Set.copyOf(parameters);
    }

    /** AWS-RunShellScript and AWS-RunPowerShellScript, with their real parameters. */
    public static List<SsmDocument> builtIn() {
        Set<String> scriptParameters = Set.of("commands", "workingDirectory", "executionTimeout");
        return List.of(new SsmDocument("AWS-RunShellScript", SHELL, SHELL, scriptParameters),
                new SsmDocument("AWS-RunPowerShellScript", POWERSHELL, POWERSHELL, scriptParameters));
    }

    /** A custom shell document with one step of this name, accepting any parameters. */
    public static SsmDocument custom(String name, String stepName) {
        return new SsmDocument(name, stepName, SHELL, null);
    }

    /** Rejects what SSM rejects with {@code InvalidParameters}: unknown names, missing commands, bad timeouts. */
    public void validate(Map<String, List<String>> values) {
        if (parameters == null) {
            return;
        }
        for (String parameter : values.keySet()) {
            if (!parameters.contains(parameter)) {
                throw AwsError.of("InvalidParameters", "Parameter '" + parameter + "' is not defined by document "
                        + name + "; it takes " + parameters);
            }
        }
        List<String> commands = values.get("commands");
        if (commands == null || commands.isEmpty()) {
            throw AwsError.of("InvalidParameters", "Document " + name + " requires parameter 'commands' (at least one)");
        }
        List<String> timeout = values.get("executionTimeout");
        if (timeout != null && (timeout.size() != 1 || !timeout.get(0).matches(EXECUTION_TIMEOUT_PATTERN))) {
            throw AwsError.of("InvalidParameters", "Parameter 'executionTimeout' " + timeout + " of document " + name
                    + " must be one whole number of seconds from 1 to 172800");
        }
    }

    /** The execution timeout the agent would apply: the executionTimeout parameter, else 3600. */
    public int executionTimeoutSeconds(Map<String, List<String>> values) {
        List<String> timeout = values.get("executionTimeout");
        if (timeout == null || timeout.isEmpty()) {
            return DEFAULT_EXECUTION_TIMEOUT;
        }
        try {
            return Integer.parseInt(timeout.get(0));
        } catch (NumberFormatException e) {
            return DEFAULT_EXECUTION_TIMEOUT;
        }
    }

    /** The plugin name as it appears in output paths, colon removed (aws:runShellScript becomes awsrunShellScript). */
    public String outputFolder() {
        return stepName.replace(":", "");
    }
}
