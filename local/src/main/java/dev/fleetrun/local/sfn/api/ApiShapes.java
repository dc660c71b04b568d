package dev.fleetrun.local.sfn.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.engine.StateMachineRecord;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.wire.WireTree;
import java.util.List;

/**
 * The answers of the Step Functions API, shaped as AWS shapes them (the members of
 * {@code DescribeStateMachineOutput}, {@code DescribeExecutionOutput}, {@code ExecutionListItem},
 * {@code HistoryEvent} ...). Dates are {@link java.time.Instant}s, which the wire layer writes as epoch
 * seconds with a fraction, as AWS JSON 1.0 does. Payloads (input, output) are JSON text in strings.
 */
final class ApiShapes {

    /** The details members of history events that carry execution data (GetExecutionHistory includeExecutionData). */
    private static final List<String> EXECUTION_DATA = List.of("input", "inputDetails", "output", "outputDetails");

    private ApiShapes() {
    }

    /** DescribeStateMachine. Logging and tracing are always off here; versions and aliases do not exist. */
    static ObjectNode stateMachine(StateMachineRecord machine) {
        ObjectNode out = WireTree.object();
        out.put("stateMachineArn", machine.arn());
        out.put("name", machine.name());
        out.put("status", "ACTIVE");
        out.put("definition", machine.definitionText());
        out.put("roleArn", machine.roleArn());
        out.put("type", machine.type());
        out.putPOJO("creationDate", machine.creationDate());
        configurations(out);
        return out;
    }

    /** DescribeStateMachineForExecution: the machine as the execution started with it. */
    static ObjectNode stateMachineForExecution(StateMachineRecord machine) {
        ObjectNode out = WireTree.object();
        out.put("stateMachineArn", machine.arn());
        out.put("name", machine.name());
        out.put("definition", machine.definitionText());
        out.put("roleArn", machine.roleArn());
        out.putPOJO("updateDate", machine.updateDate());
        configurations(out);
        return out;
    }

    /** One item of ListStateMachines. */
    static ObjectNode stateMachineListItem(StateMachineRecord machine) {
        ObjectNode out = WireTree.object();
        out.put("stateMachineArn", machine.arn());
        out.put("name", machine.name());
        out.put("type", machine.type());
        out.putPOJO("creationDate", machine.creationDate());
        return out;
    }

    /**
     * DescribeExecution.
     *
     * @param includeData false for {@code includedData: METADATA_ONLY}: no input and no output
     * @param notRedrivable why it cannot be redriven now, or {@code null} when it can
     */
    static ObjectNode execution(Execution execution, boolean includeData, String notRedrivable) {
        ObjectNode out = WireTree.object();
        out.put("executionArn", execution.arn());
        out.put("stateMachineArn", execution.info().stateMachineArn());
        out.put("name", execution.name());
        ExecutionStatus status = execution.status();
        out.put("status", status.name());
        out.putPOJO("startDate", execution.startDate());
        if (execution.stopDate() != null) {
            out.putPOJO("stopDate", execution.stopDate());
        }
        if (includeData) {
            out.put("input", Json.text(execution.info().input()));
            out.putObject("inputDetails").put("included", true);
            if (status == ExecutionStatus.SUCCEEDED) {
                out.put("output", Json.text(execution.output()));
                out.putObject("outputDetails").put("included", true);
            }
        }
        if (execution.error() != null) {
            out.put("error", execution.error());
        }
        if (execution.cause() != null) {
            out.put("cause", execution.cause());
        }
        out.put("redriveCount", execution.redriveCount());
        if (execution.redriveDate() != null) {
            out.putPOJO("redriveDate", execution.redriveDate());
        }
        out.put("redriveStatus", notRedrivable == null ? "REDRIVABLE" : "NOT_REDRIVABLE");
        if (notRedrivable != null) {
            out.put("redriveStatusReason", notRedrivable);
        }
        return out;
    }

    /** One item of ListExecutions. */
    static ObjectNode executionListItem(Execution execution) {
        ObjectNode out = WireTree.object();
        out.put("executionArn", execution.arn());
        out.put("stateMachineArn", execution.info().stateMachineArn());
        out.put("name", execution.name());
        out.put("status", execution.status().name());
        out.putPOJO("startDate", execution.startDate());
        if (execution.stopDate() != null) {
            out.putPOJO("stopDate", execution.stopDate());
        }
        out.put("redriveCount", execution.redriveCount());
        if (execution.redriveDate() != null) {
            out.putPOJO("redriveDate", execution.redriveDate());
        }
        return out;
    }

    /**
     * One event of GetExecutionHistory.
     *
     * @param includeData false for {@code includeExecutionData: false}: the details lose input and output
     */
    static ObjectNode event(HistoryEvent event, boolean includeData) {
        ObjectNode out = event.toAwsJson();
        out.putPOJO("timestamp", event.timestamp());
        if (!includeData && event.type().detailsField() != null) {
            JsonNode details = out.get(event.type().detailsField());
            if (details instanceof ObjectNode object) {
                object.remove(EXECUTION_DATA);
            }
        }
        return out;
    }

    private static void configurations(ObjectNode out) {
        ObjectNode logging = out.putObject("loggingConfiguration");
        logging.put("level", "OFF");
        logging.put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
    }
}
