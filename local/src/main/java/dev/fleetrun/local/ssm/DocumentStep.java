package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One step of a Command document as written: a {@code mainSteps} entry of schema 2.x, or a plugin of
 * a schema 1.2 {@code runtimeConfig} (whose step name is the plugin's name, as SSM reports it). The
 * inputs keep their {@code {{ parameter }}} placeholders: each node fills them in when it runs the
 * step ({@link StepPlan}).
 *
 * @param name         the step's name: GetCommandInvocation's {@code PluginName}
 * @param action       the plugin, {@link SsmDocument#SHELL} or {@link SsmDocument#POWERSHELL}
 * @param inputs       {@code runCommand}, {@code workingDirectory}, {@code timeoutSeconds}, {@code onFailure},
 *                     {@code onSuccess}, {@code finallyStep}, as written
 * @param precondition the two arguments of {@code precondition.StringEquals}, or null for none
 */
public record DocumentStep(String name, String action, ObjectNode inputs, List<String> precondition) {
    /** The inputs every plugin may take (SSM Agent 3.0.502 and later). */
    static final List<String> SHARED_INPUTS = List.of("onFailure", "onSuccess", "finallyStep");
    /** The inputs of aws:runShellScript and aws:runPowerShellScript. */
    static final List<String> SCRIPT_INPUTS = List.of("runCommand", "workingDirectory", "timeoutSeconds");

    public DocumentStep {
        precondition = precondition == null ? null : List.copyOf(precondition);
    }

    /** Whether the step runs on a node of this platform as its plugin goes (Linux, Windows, MacOS). */
    boolean pluginRunsOn(String platformType) {
        return SsmDocument.platformsOf(action).contains(platformType);
    }

    JsonNode input(String field) {
        return inputs.get(field);
    }
}
