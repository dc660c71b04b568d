package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Command document {@code SendCommand} may name: the step name its one plugin reports under
 * (GetCommandInvocation's {@code PluginName}) and the parameters it takes. The two AWS documents
 * fleetrun uses are built in with their real parameters; a test adds its own with
 * {@link FakeSsm#addDocument}, and those accept any parameters.
 *
 * @param parameters the parameters the document declares, or null to accept any
 */
record SsmDocument(String name, String stepName, Set<String> parameters) {
    /** The allowedPattern AWS-RunShellScript and AWS-RunPowerShellScript put on executionTimeout. */
    static final String EXECUTION_TIMEOUT_PATTERN =
            "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)";
    static final int DEFAULT_EXECUTION_TIMEOUT = 3600;

    static List<SsmDocument> builtIn() {
        Set<String> scriptParameters = Set.of("commands", "workingDirectory", "executionTimeout");
        return List.of(new SsmDocument("AWS-RunShellScript", "aws:runShellScript", scriptParameters),
                new SsmDocument("AWS-RunPowerShellScript", "aws:runPowerShellScript", scriptParameters));
    }

    /** Rejects what SSM rejects with {@code InvalidParameters}: unknown names, missing commands, bad timeouts. */
    void validate(Map<String, List<String>> values) {
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
    int executionTimeoutSeconds(Map<String, List<String>> values) {
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
    String outputFolder() {
        return stepName.replace(":", "");
    }
}
