package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.FieldError;
import dev.fleetrun.domain.InvalidInputException;
import dev.fleetrun.domain.RunRequestParser;
import java.util.List;
import java.util.Set;

/**
 * Checks a job's run request with the start function's own parser and the deployment's allow-list of documents, so
 * the synth refuses exactly what the deployed workflow would refuse with {@code Fleetrun.InvalidInput}.
 */
public final class DomainRunRequestCheck implements RunRequestCheck {

    private final RunRequestParser parser;

    public DomainRunRequestCheck(List<String> allowedDocuments) {
        this.parser = new RunRequestParser(Set.copyOf(allowedDocuments));
    }

    @Override
    public List<String> problems(ObjectNode request) {
        try {
            parser.parse(request);
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors().stream().map(FieldError::toString).toList();
        }
    }
}
