package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.infra.jobs.RunRequestCheck;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Checks that a run request names only the fields of run request version 1 (DESIGN). */
final class RunRequestShapeCheck implements RunRequestCheck {

    static final List<String> FIELDS = List.of("name", "targets", "instanceIds", "document", "commands",
            "maxConcurrency", "maxErrors", "waves", "bakeSeconds", "approvalAfterWave", "alarms", "rollback",
            "timeoutSeconds", "output", "comment", "dryRun", "trigger");

    @Override
    public List<String> problems(ObjectNode request) {
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                problems.add(field + ": unknown field");
            }
        }
        return problems;
    }
}
