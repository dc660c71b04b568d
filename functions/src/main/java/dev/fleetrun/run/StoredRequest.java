package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.DocumentSpec;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.RunRequestParser;
import dev.fleetrun.records.RunRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * The run request a run was started with, read back from its record by the steps after StartRun. StartRun
 * checked it against the deployment's allow-list ({@code FLEETRUN_ALLOWED_DOCUMENTS}); checking it again against
 * the list of the moment would fail every run in flight when a deploy narrows the list. So it is read with an
 * allow-list of just the documents it names: the start's check stands for the whole run.
 */
final class StoredRequest {
    private StoredRequest() {
    }

    static RunRequest of(RunRecord run) {
        JsonNode json = Json.parse(run.requestJson());
        return new RunRequestParser(documentsNamed(json)).parse(json);
    }

    /** The documents a request runs: its document and its rollback's, or the shell documents for {@code commands}. */
    static Set<String> documentsNamed(JsonNode request) {
        Set<String> names = new HashSet<>();
        for (JsonNode part : new JsonNode[] {request, request.path("rollback")}) {
            JsonNode name = part.path("document").path("name");
            if (name.isTextual()) {
                names.add(name.asText());
            }
            if (part.has("commands")) {
                names.add(DocumentSpec.RUN_SHELL_SCRIPT);
                names.add(DocumentSpec.RUN_POWERSHELL_SCRIPT);
            }
        }
        return names;
    }
}
